"""A letter template is text typed into a web form: it must not reach Python, files, config or the app."""

from __future__ import annotations

import pytest

from sar.bundle.letters.sandbox import TemplateProblem, check_syntax, render_letter, render_text

CONTEXT = {
    "case": {"reference": "SAR-2026-00042", "rights": ["Access (a copy of their records)"], "extended": False},
    "requester": {"name": "Alex Morgan", "address_lines": ["1 High Street", "Exampletown"]},
    "council": {"name": "Example Council"},
}

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ config }}",
    "{{ config.SECRET_KEY }}",
    "{{ request }}",
    "{{ url_for('web.home') }}",
    "{% include '/etc/passwd' %}",
    "{% import '/etc/passwd' as secrets %}",
    "{% extends '/etc/passwd' %}",
    "{% from 'base.html' import x %}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range(10) }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ case.__class__ }}",
    "{{ case.reference.__class__.__base__.__subclasses__() }}",
    "{{ case.update({'reference': 'changed'}) }}",
    "{{ case.rights.append('x') }}",
    "{{ case.reference.format.__globals__ }}",
    "{{ (case|attr('__class__')) }}",
    "{{ case.reference|attr('__class__') }}",
    "{{ 'x' * 100000000 }}",
    "{{ 10 ** 100000 }}",
    "{{ '{0.__class__}'.format(case) }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_escapes_are_refused_in_plain_words(source: str) -> None:
    with pytest.raises(TemplateProblem) as refused:
        render_text(source, CONTEXT)

    message = str(refused.value)
    assert message.startswith("The letter text")
    assert "Traceback" not in message and "jinja2" not in message.lower()


def test_nothing_outside_the_context_is_visible() -> None:
    assert render_text("{{ case.reference }} for {{ requester.name }}", CONTEXT) == "SAR-2026-00042 for Alex Morgan"
    # The context itself was not changed by any of the attempts above.
    assert CONTEXT["case"]["reference"] == "SAR-2026-00042"


def test_include_names_the_rule_it_broke() -> None:
    with pytest.raises(TemplateProblem, match="cannot include, import or extend other files"):
        render_text("{% include '/etc/passwd' %}", CONTEXT)


def test_an_unknown_placeholder_is_named() -> None:
    with pytest.raises(TemplateProblem, match="placeholder that does not exist.*'config' is undefined"):
        render_text("Dear {{ config }}", CONTEXT)


def test_a_syntax_error_gives_the_line_in_plain_words() -> None:
    with pytest.raises(TemplateProblem) as refused:
        check_syntax("Dear {{ requester.name }},\n\n{% if case.extended %}\nWe extended it.\n")

    assert refused.value.line is not None
    assert "on line" in str(refused.value)
    assert "{% endif %}" in str(refused.value)


def test_an_unclosed_placeholder_is_a_syntax_problem_not_an_error_page() -> None:
    with pytest.raises(TemplateProblem, match="mistake on line 1"):
        render_text("Dear {{ requester.name ", CONTEXT)


def test_ordinary_templates_render_with_loops_conditions_and_filters() -> None:
    source = (
        "{% for line in requester.address_lines %}{{ line | upper }}\n{% endfor %}"
        "{% if not case.extended %}ok{% endif %}"
    )

    assert render_text(source, CONTEXT) == "1 HIGH STREET\nEXAMPLETOWN\nok"


def test_subject_line_is_one_line() -> None:
    rendered = render_letter("Your request\n – {{ case.reference }}", "Body", CONTEXT)

    assert rendered.subject == "Your request – SAR-2026-00042"


def test_huge_output_is_refused() -> None:
    with pytest.raises(TemplateProblem, match="more than"):
        render_text(
            "{% for a in case.reference %}{% for b in case.reference %}{% for c in case.reference %}"
            "{% for d in case.reference %}{{ case.reference * 100 }}{% endfor %}{% endfor %}{% endfor %}"
            "{% endfor %}",
            CONTEXT,
        )

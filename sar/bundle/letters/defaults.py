"""The text every kind of letter starts with, before the DPO edits it (saved as version 1 on first use).

Written to sar-rules sections 1, 2 and 6. Layout marks the PDF understands: a blank line between paragraphs, a line
starting ``## `` is a heading, a line starting ``- `` is a bullet point. The child versions follow Art 12(1): clear,
plain language "especially when addressed to a child", keeping the legal term in brackets so the young person can
look it up or ask about it.
"""

from __future__ import annotations

from sar.bundle.letters.models import Audience, LetterKind

_SIGN_OFF = """
Yours sincerely

{{ officer.name }}
{% if officer.job_title %}{{ officer.job_title }}
{% endif %}{{ council.team }}, {{ council.name }}
"""

_CHILD_SIGN_OFF = """
Best wishes

{{ officer.name }}
{{ council.team }}, {{ council.name }}
"""

_CONTACT = "{{ council.email }}{% if council.phone %} or phone {{ council.phone }}{% endif %}"

_ICO = """You have the right to complain to the Information Commissioner's Office (ICO), the UK's independent regulator for data protection:

{{ art15.ico_contact }}"""

_COURT = """You also have the right to seek a judicial remedy: you can ask a court to order us to comply with your request (Data Protection Act 2018, section 167). You may wish to take independent legal advice first."""

_ADULT: dict[LetterKind, tuple[str, str]] = {
    LetterKind.ACKNOWLEDGEMENT: (
        "Your request for information – reference {{ case.reference }}",
        """Dear {{ requester.name }},

Thank you for your request{% if case.is_access_request %} for a copy of the personal information we hold{% if not requester.is_subject %} about {{ subject.name }}{% endif %}{% endif %}, which we received on {{ case.received_on }}.

Your reference is {{ case.reference }}. Please quote it whenever you contact us about this request.

{% if case.due_date %}We will respond by {{ case.due_date }}. {% endif %}If we need anything more from you to confirm who you are, or to find the information you want, we will tell you as soon as possible.

If you have any questions, please email """
        + _CONTACT
        + ".\n"
        + _SIGN_OFF,
    ),
    LetterKind.EVIDENCE_REQUEST: (
        "Your request – we need {% if letter.evidence_kind == 'authority' %}evidence of authority{% else %}proof of identity{% endif %} – reference {{ case.reference }}",
        """Dear {{ requester.name }},

Thank you for your request, reference {{ case.reference }}, which we received on {{ case.received_on }}.

{% if letter.evidence_kind == 'authority' %}Before we can deal with it, we need evidence that you are entitled to act for {{ subject.name }}.{% else %}Before we can deal with it, we need to be sure of your identity, so that we never give personal information to the wrong person.{% endif %}

Please send us:

{{ letter.what_we_need }}

You can send copies by email to {{ council.email }} or by post to the address at the top of this letter. Please do not send original documents.

The one-month time limit for our response starts on the day we receive this. If we do not receive it, we will not be able to go ahead with your request.
{% if letter.note %}

{{ letter.note }}
{% endif %}"""
        + _SIGN_OFF,
    ),
    LetterKind.CLARIFICATION: (
        "Your request – please tell us more – reference {{ case.reference }}",
        """Dear {{ requester.name }},

Thank you for your request, reference {{ case.reference }}, which we received on {{ case.received_on }}.

We hold a large amount of information, and to find the information you want we need you to tell us more:

{{ letter.questions }}

While we wait for your answer, the time limit for our response is paused, as the law allows (UK GDPR Article 12A). It starts again on the day we receive your answer. We will carry on with anything we can do in the meantime.

Please reply by email to {{ council.email }} or by post, quoting reference {{ case.reference }}.
{% if letter.note %}

{{ letter.note }}
{% endif %}"""
        + _SIGN_OFF,
    ),
    LetterKind.EXTENSION: (
        "Your request – we need more time – reference {{ case.reference }}",
        """Dear {{ requester.name }},

We are writing about your request, reference {{ case.reference }}, which we received on {{ case.received_on }}.

The law allows us to extend the time limit by two further months where a request is complex or a person has made a number of requests (UK GDPR Article 12A). We need to extend it, because:

{{ letter.reasons }}

We will now respond by {{ case.extended_due_date }}. If we can respond sooner, we will.

If you are unhappy with this, you can complain to us:

{{ art15.complaint_route }}

"""
        + _ICO
        + "\n"
        + _SIGN_OFF,
    ),
    LetterKind.FEE_REQUEST: (
        "Your request – a fee is payable – reference {{ case.reference }}",
        """Dear {{ requester.name }},

We are writing about your request, reference {{ case.reference }}, which we received on {{ case.received_on }}.

We can deal with it once a fee of £{{ letter.fee_amount }} has been paid. The law allows us to charge a reasonable fee, based on our administrative costs, for further copies of information, or where a request is manifestly unfounded or excessive (UK GDPR Articles 12(5) and 15(3)).

## Why we are charging a fee

{{ letter.fee_reason }}

## How to pay

Please contact us at """
        + _CONTACT
        + """, quoting reference {{ case.reference }}, and we will tell you how to pay. The time limit for our response starts on the day we receive the fee.

## If you disagree

{{ art15.complaint_route }}

"""
        + _ICO
        + "\n"
        + _SIGN_OFF,
    ),
    LetterKind.REFUSAL: (
        "Your request – our decision – reference {{ case.reference }}",
        """Dear {{ requester.name }},

We are writing about your request, reference {{ case.reference }}, which we received on {{ case.received_on }}. We have decided to refuse it.

## Why we have refused your request

{{ letter.reasons }}

## Your right to complain

{{ art15.complaint_route }}

"""
        + _ICO
        + """

## Your right to go to court

"""
        + _COURT
        + "\n"
        + _SIGN_OFF,
    ),
    LetterKind.NO_DATA_HELD: (
        "Your request – no information found – reference {{ case.reference }}",
        """Dear {{ requester.name }},

We have finished searching for the information you asked for in your request, reference {{ case.reference }}, which we received on {{ case.received_on }}.

{% if disclosure.teams_searched %}We searched the records of:

{% for team in disclosure.teams_searched %}- {{ team }}
{% endfor %}
{% endif %}{% if disclosure.systems_searched %}and these systems:

{% for system in disclosure.systems_searched %}- {{ system }}
{% endfor %}
{% endif %}
We did not find any personal information about {% if requester.is_subject %}you{% else %}{{ subject.name }}{% endif %}.

If you think we should hold information, for example because you had contact with a particular team, please tell us and we will search again.
{% if letter.note %}

{{ letter.note }}
{% endif %}

## If you are unhappy with our response

{{ art15.complaint_route }}

"""
        + _ICO
        + "\n"
        + _SIGN_OFF,
    ),
    LetterKind.DISCLOSURE_COVER: (
        "Your request for your information – reference {{ case.reference }}",
        """Dear {{ requester.name }},

## Your request

We have completed our response to your request, reference {{ case.reference }}, which we received on {{ case.received_on }}.{% if case.extended %} As we told you, we extended the time limit because the request was complex.{% endif %}

We confirm that we hold personal information about {% if requester.is_subject %}you{% else %}{{ subject.name }}{% endif %}. A copy is enclosed{% if disclosure.how_sent %} ({{ disclosure.how_sent }}){% endif %}{% if disclosure.documents %}: {{ disclosure.documents }} documents, {{ disclosure.pages }} pages{% endif %}.

## Where we searched

We searched the records of:

{% for team in disclosure.teams_searched %}- {{ team }}
{% else %}- every team that might hold information about {% if requester.is_subject %}you{% else %}{{ subject.name }}{% endif %}

{% endfor %}
{% if disclosure.systems_searched %}and these systems:

{% for system in disclosure.systems_searched %}- {{ system }}
{% endfor %}
{% endif %}

## What we have not included

{% if disclosure.ncnd %}This response includes all the information we are able to give you.
{% elif disclosure.withheld %}Some information has been withheld or blacked out (redacted), as the law allows. Each redaction is marked with a code:

{% for item in disclosure.withheld %}- {{ item.code }}: {{ item.meaning }} ({{ item.law }})
{% endfor %}
{% else %}We have not withheld or redacted any information.
{% endif %}

## Why we hold the information (purposes)

{{ art15.purposes }}

## The kinds of information we hold (categories)

{{ art15.categories }}

## Who we share it with (recipients)

{{ art15.recipients }}

## Transfers outside the UK

{{ art15.transfers }}

## How long we keep it (retention)

{{ art15.retention }}

## Where the information came from (sources)

{{ art15.sources }}

## Automated decision-making

{{ art15.automated_decisions }}

## Your rights

You have the right to ask us to:

- correct information that is wrong or incomplete (rectification)
- delete information (erasure)
- restrict how we use information (restriction)
- stop using information (objection)

Not every right applies in every case; we will explain if one does not. To use any of them, contact us at """
        + _CONTACT
        + """.

## If you are unhappy with our response

{{ art15.complaint_route }}

"""
        + _ICO
        + """

"""
        + _COURT
        + """

## Support

{{ art15.support_offer }}
"""
        + _SIGN_OFF,
    ),
}

_CHILD_ICO = """You can also complain to the Information Commissioner's Office (the ICO). They make sure organisations look after people's information properly:

{{ art15.ico_contact }}"""

_CHILD: dict[LetterKind, tuple[str, str]] = {
    LetterKind.ACKNOWLEDGEMENT: (
        "We got your request – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

Thank you for asking us for your information. We got your request on {{ case.received_on }}.

Your reference number is {{ case.reference }}. If you get in touch with us, please tell us this number.

{% if case.due_date %}We will answer by {{ case.due_date }}. {% endif %}If we need to ask you anything, we will let you know.

If you have any questions, or would like someone to help you, email """
        + _CONTACT
        + ".\n"
        + _CHILD_SIGN_OFF,
    ),
    LetterKind.EVIDENCE_REQUEST: (
        "We need something from you – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

Thank you for asking us for your information (reference {{ case.reference }}).

{% if letter.evidence_kind == 'authority' %}Before we can help, we need to check that you are allowed to ask for {{ subject.first_name }}'s information.{% else %}Before we can help, we need to check that you are really you. This keeps your information safe.{% endif %}

Please send us:

{{ letter.what_we_need }}

You can email a photo or copy to {{ council.email }}. Please do not send anything you need to keep.

We will start working on your request as soon as we get it. If you are not sure what to send, or want someone to help you, just ask.
"""
        + _CHILD_SIGN_OFF,
    ),
    LetterKind.CLARIFICATION: (
        "Can you tell us more? – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

Thank you for asking us for your information (reference {{ case.reference }}).

We have a lot of information, so we need you to tell us a bit more to find what you want:

{{ letter.questions }}

Until you answer, the time we have to reply stops (the law says our clock is paused). It starts again when we hear from you.

You can email us at """
        + _CONTACT
        + """. If you would like someone to help you answer, just ask.
"""
        + _CHILD_SIGN_OFF,
    ),
    LetterKind.EXTENSION: (
        "We need more time – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

We are sorry, but we need more time to answer your request (reference {{ case.reference }}).

The law lets us take two more months when a request is complicated. We need more time because:

{{ letter.reasons }}

We will now answer by {{ case.extended_due_date }}. If we can answer sooner, we will.

If you are not happy about this, you can tell us:

{{ art15.complaint_route }}

"""
        + _CHILD_ICO
        + "\n"
        + _CHILD_SIGN_OFF,
    ),
    LetterKind.FEE_REQUEST: (
        "There is a fee to pay – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

We are writing about your request (reference {{ case.reference }}). Before we can do it, a fee of £{{ letter.fee_amount }} needs to be paid. The law lets us charge a fair fee in some cases.

Why there is a fee:

{{ letter.fee_reason }}

Please get in touch at """
        + _CONTACT
        + """ and we will explain how to pay, or talk it through with you or an adult you trust. We will start once the fee is paid.

If you think this is unfair, you can tell us:

{{ art15.complaint_route }}

"""
        + _CHILD_ICO
        + "\n"
        + _CHILD_SIGN_OFF,
    ),
    LetterKind.REFUSAL: (
        "Our answer to your request – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

We are writing about your request (reference {{ case.reference }}). We are sorry, but we have decided that we cannot do what you asked.

## Why

{{ letter.reasons }}

## If you are not happy

You can tell us:

{{ art15.complaint_route }}

"""
        + _CHILD_ICO
        + """

You can also ask a court to look at our decision (your right to a judicial remedy). An adult you trust, an advocate or a solicitor can help you with this.
"""
        + _CHILD_SIGN_OFF,
    ),
    LetterKind.NO_DATA_HELD: (
        "We did not find any information – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

We have looked for your information (reference {{ case.reference }}).

{% if disclosure.teams_searched %}We looked in the records of:

{% for team in disclosure.teams_searched %}- {{ team }}
{% endfor %}
{% endif %}
We did not find any information about you.

If you think we should have some, for example because you met someone from one of our teams, please tell us and we will look again.

If you are not happy with our answer, you can tell us:

{{ art15.complaint_route }}

"""
        + _CHILD_ICO
        + "\n"
        + _CHILD_SIGN_OFF,
    ),
    LetterKind.DISCLOSURE_COVER: (
        "Your information – reference {{ case.reference }}",
        """Dear {{ requester.first_name }},

## Your request

You asked us for the information we have about you. We got your request on {{ case.received_on }} (reference {{ case.reference }}).{% if case.extended %} As we told you, we needed more time because your request was complicated.{% endif %}

Yes, we do hold information about {% if requester.is_subject %}you{% else %}{{ subject.first_name }}{% endif %} (this letter confirms it). A copy is with this letter{% if disclosure.how_sent %} ({{ disclosure.how_sent }}){% endif %}.

Some of it may be hard to read. You do not have to read it alone: see "Help to go through it" at the end of this letter.

## Where we looked

We looked in the records of:

{% for team in disclosure.teams_searched %}- {{ team }}
{% else %}- every team that might have information about you
{% endfor %}
{% if disclosure.systems_searched %}and in these systems:

{% for system in disclosure.systems_searched %}- {{ system }}
{% endfor %}
{% endif %}

## What we have left out

{% if disclosure.ncnd %}This is all the information we are able to give you.
{% elif disclosure.withheld %}We have left some things out or blacked them out (this is called redaction). The law lets us do this, for example to protect other people. Each blacked-out part has a code:

{% for item in disclosure.withheld %}- {{ item.code }}: {{ item.meaning }} ({{ item.law }})
{% endfor %}
{% else %}We have not left anything out.
{% endif %}

## Why we have this information (purposes)

{{ art15.purposes }}

## What kinds of information we keep (categories)

{{ art15.categories }}

## Who we share it with (recipients)

{{ art15.recipients }}

## Sending information abroad (transfers outside the UK)

{{ art15.transfers }}

## How long we keep it (retention)

{{ art15.retention }}

## Where the information came from (sources)

{{ art15.sources }}

## Decisions made by computers (automated decision-making)

{{ art15.automated_decisions }}

## Your rights

You can ask us to:

- fix information that is wrong (rectification)
- delete information (erasure)
- limit how we use information (restriction)
- stop using information (objection)

Sometimes the law says we do not have to. If that happens, we will explain why.

## If you are not happy

You can tell us:

{{ art15.complaint_route }}

"""
        + _CHILD_ICO
        + """

You can also ask a court to look at what we did (your right to a judicial remedy). An adult you trust, an advocate or a solicitor can help you with this.

## Help to go through it

{{ art15.support_offer }}
"""
        + _CHILD_SIGN_OFF,
    ),
}


def default_text(kind: LetterKind, audience: Audience) -> tuple[str, str]:
    """(subject, body) of the built-in template."""
    return (_CHILD if audience is Audience.CHILD else _ADULT)[kind]

// Moves a background job's progress bar without reloading the page. Without JavaScript the page reloads
// itself instead (a <meta> refresh inside <noscript>), so this is an improvement, never a requirement.
const POLL_MS = 2000;

function describe(state) {
  const parts = [];
  if (state.total) parts.push(`${state.done} of ${state.total}`);
  else if (state.done) parts.push(`${state.done} done`);
  if (state.message) parts.push(state.message);
  return parts.join(": ") || (state.finished ? "Finished." : "Starting…");
}

function watch(container) {
  const url = container.dataset.progressUrl;
  const bar = container.querySelector("progress");
  const text = container.querySelector("[data-progress-text]");
  let lastText = text ? text.textContent.trim() : "";

  async function poll() {
    let state;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      state = await response.json();
    } catch {
      window.setTimeout(poll, POLL_MS * 2); // a dropped connection: try again, more slowly
      return;
    }
    if (state.finished) {
      window.location.reload(); // the page shows the outcome (finished, or what went wrong)
      return;
    }
    if (bar) {
      if (state.percent === null) bar.removeAttribute("value");
      else bar.value = state.percent;
    }
    const next = describe(state);
    // Only when it changes: the region is aria-live, and repeating the same words would be noise.
    if (text && next !== lastText) {
      text.textContent = next;
      lastText = next;
    }
    window.setTimeout(poll, POLL_MS);
  }

  if (container.dataset.finished !== "true") window.setTimeout(poll, POLL_MS);
}

export function initJobProgress(root = document) {
  root.querySelectorAll('[data-module="sar-job-progress"]').forEach(watch);
}

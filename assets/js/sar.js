// Served as a file, never inline, so the Content-Security-Policy can forbid inline scripts.
import { initAll } from "./govuk-frontend.min.js";
import { initJobProgress } from "./job-progress.js";
import { enhanceUploads } from "./upload-progress.js";

function startPage(body) {
  body.classList.add("js-enabled", "govuk-frontend-supported");
  initAll({ scope: body });
  initJobProgress(body);
  enhanceUploads(body, startPage);
}

startPage(document.body);

// The review page's shortcuts and box drawing load only where they are used.
if (document.querySelector("[data-sar-review]")) {
  import("./review.js");
}

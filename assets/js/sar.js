// Served as a file, never inline, so the Content-Security-Policy can forbid inline scripts.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The review page's shortcuts and box drawing load only where they are used.
if (document.querySelector("[data-sar-review]")) {
  import("./review.js");
}

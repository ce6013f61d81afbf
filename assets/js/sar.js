// Served as a file, never inline, so the Content-Security-Policy can forbid inline scripts.
import { initAll } from "./govuk-frontend.min.js";
import { initJobProgress } from "./job-progress.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initJobProgress();

// Upload progress for forms marked data-sar-upload. Without JavaScript the form posts as usual; with it the
// files are sent by XMLHttpRequest so a progress bar can show how much has gone, and the page the server
// answers with (the next page, or the form with its errors) replaces this one.
export function enhanceUploads(root, onPage) {
  for (const form of root.querySelectorAll("form[data-sar-upload]")) {
    form.addEventListener("submit", (event) => {
      const input = form.querySelector("input[type=file]");
      if (!input || input.files.length === 0 || !window.FormData || !window.DOMParser) {
        return; // nothing chosen: let the server answer with its error message
      }
      event.preventDefault();
      const button = form.querySelector("button[type=submit], input[type=submit]");
      const status = document.createElement("p");
      status.className = "govuk-body";
      status.setAttribute("role", "status");
      const bar = document.createElement("progress");
      bar.className = "sar-progress";
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", "Upload progress");
      form.append(status, bar);
      if (button) button.disabled = true;
      const request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", (progress) => {
        if (!progress.lengthComputable) return;
        const percent = Math.round((progress.loaded / progress.total) * 100);
        bar.value = percent;
        status.textContent = percent < 100 ? `Sending your files: ${percent}%` : "Files sent. Checking them…";
      });
      request.addEventListener("load", () => {
        const page = new DOMParser().parseFromString(request.responseText, "text/html");
        document.title = page.title;
        document.body.replaceWith(document.adoptNode(page.body));
        if (request.responseURL) window.history.replaceState(null, "", request.responseURL);
        onPage(document.body);
        const focusTarget = document.querySelector(".govuk-error-summary, .govuk-notification-banner, h1");
        if (focusTarget) {
          focusTarget.setAttribute("tabindex", "-1");
          focusTarget.focus();
        }
      });
      request.addEventListener("error", () => {
        status.textContent = "Your files could not be sent. Check your connection and try again.";
        bar.remove();
        if (button) button.disabled = false;
      });
      request.send(new FormData(form));
    });
  }
}

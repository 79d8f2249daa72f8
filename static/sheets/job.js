// Polls an import job's status while it runs and reloads the page once it has finished.
(function () {
  "use strict";
  const page = document.querySelector(".sheet-job");
  if (!page) return;
  const bar = document.getElementById("job-progress");
  const text = document.getElementById("job-progress-text");
  const status = document.getElementById("job-status");
  function poll() {
    fetch(page.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((job) => {
        if (bar) bar.value = job.percent;
        if (text) text.textContent = job.rows_done + " / " + job.rows_total;
        if (status) status.textContent = job.status_label;
        if (job.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(() => window.setTimeout(poll, 5000));
  }
  window.setTimeout(poll, 1000);
})();

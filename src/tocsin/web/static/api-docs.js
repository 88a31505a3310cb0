// Starts Swagger UI on /docs (a file, not an inline script, so the page keeps the console's CSP).
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    validatorUrl: null, // never ask swagger.io to validate our document
    deepLinking: true,
  });
});

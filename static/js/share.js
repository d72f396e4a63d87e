// Share block: the "copy link" button (docs/decisions.md: no inline script). Without JavaScript
// or the Clipboard API the button stays hidden and the address field can be copied by hand.
(function () {
  "use strict";

  var button = document.querySelector(".js-copy-link");
  var status = document.querySelector(".js-copy-status");
  var field = document.getElementById("share-url");
  if (!button || !navigator.clipboard || !window.isSecureContext) {
    if (field) {
      field.addEventListener("focus", function () {
        field.select();
      });
    }
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(button.getAttribute("data-url")).then(
      function () {
        if (status) {
          status.textContent = button.getAttribute("data-copied");
        }
      },
      function () {
        field.focus();
        field.select();
      }
    );
  });
  if (field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  }
})();

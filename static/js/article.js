// Article page: count this page view and drive the like button (see docs/counters.md).
// The page may come from a cache, so the counts it was rendered with are updated from the
// server's answer; without JavaScript the rendered counts stay as they are.
(function () {
  "use strict";

  var article = document.querySelector("article[data-article-id]");
  if (!article) {
    return;
  }
  var id = article.getAttribute("data-article-id");
  if (!/^[0-9]+$/.test(id)) {
    return;
  }
  var base = "/api/articles/" + id + "/";

  function setText(selector, value) {
    if (typeof value !== "number") {
      return;
    }
    document.querySelectorAll(selector).forEach(function (node) {
      node.textContent = String(value);
    });
  }

  function showLiked(liked) {
    document.querySelectorAll(".js-like").forEach(function (button) {
      button.classList.toggle("is-liked", liked);
      button.setAttribute("aria-pressed", liked ? "true" : "false");
      button.disabled = liked;
    });
  }

  function show(counts) {
    setText(".js-views", counts.views);
    setText(".js-likes", counts.likes);
    showLiked(counts.liked === true);
  }

  function post(action, keepalive) {
    return fetch(base + action, {
      method: "POST",
      credentials: "same-origin",
      keepalive: keepalive,
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          throw new Error(data.error || response.statusText);
        }
        return data;
      });
    });
  }

  function countView() {
    post("view", true).then(show).catch(function () {
      // Counting is best effort: the page keeps the counts it was rendered with.
    });
  }

  document.querySelectorAll(".js-like").forEach(function (button) {
    if (!button.hasAttribute("aria-pressed")) {
      button.setAttribute("aria-pressed", "false");
    }
    button.addEventListener("click", function () {
      if (button.disabled) {
        return;
      }
      button.disabled = true;
      post("like", false)
        .then(show)
        .catch(function () {
          button.disabled = false;
        });
    });
  });

  // A prerendered page is not a page view until the reader actually opens it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", countView, { once: true });
  } else {
    countView();
  }
})();

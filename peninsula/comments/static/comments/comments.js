// Comments under an article (docs/comments.md). The article page is one cached page for every
// reader, so the comments are read from /api/articles/<id>/comments after it loads; without
// JavaScript the section stays a link to the comments page. Comment text arrives as HTML the
// server escaped (plain text, links and line breaks only); names are set as text.
(function () {
  "use strict";

  var section = document.querySelector(".js-comments[data-article-id]");
  if (!section || !window.fetch) {
    return;
  }
  var id = section.getAttribute("data-article-id");
  if (!/^[0-9]+$/.test(id)) {
    return;
  }
  var base = "/api/articles/" + id + "/comments";
  var app = section.querySelector(".js-comments-app");
  var list = section.querySelector(".js-comments-list");
  var more = section.querySelector(".js-comments-more");
  var empty = section.querySelector(".js-comments-empty");
  var closed = section.querySelector(".js-comments-closed");
  var form = section.querySelector("#comment-form");
  var status = section.querySelector(".js-comment-status");
  var parentField = section.querySelector(".js-comment-parent");
  var cancel = section.querySelector(".js-comment-cancel");
  var template = section.querySelector(".js-comment-template");
  var formHome = form.parentNode;
  var formNext = form.nextSibling;
  var order = "newest";
  var page = 1;
  var UPVOTED = "peninsula.upvoted";

  function upvoted() {
    try {
      return JSON.parse(window.localStorage.getItem(UPVOTED) || "[]");
    } catch (error) {
      return [];
    }
  }

  function remember(commentId) {
    var ids = upvoted();
    if (ids.indexOf(commentId) === -1) {
      ids.push(commentId);
      try {
        window.localStorage.setItem(UPVOTED, JSON.stringify(ids.slice(-500)));
      } catch (error) {
        // A full or disabled storage only forgets which comments were upvoted here.
      }
    }
  }

  function setCount(count) {
    if (typeof count === "number") {
      document.querySelectorAll(".js-comment-count").forEach(function (node) {
        node.textContent = String(count);
      });
    }
  }

  function render(comment, isReply) {
    var node = template.content.firstElementChild.cloneNode(true);
    node.id = "c" + comment.id;
    node.querySelector(".comment__name").textContent = comment.name;
    node.querySelector("time").setAttribute("datetime", comment.time);
    node.querySelector("time").textContent = comment.time.slice(0, 16).replace("T", " ");
    node.querySelector(".comment__text").innerHTML = comment.html;
    if (comment.staff) {
      node.classList.add("comment--staff");
      node.querySelector(".comment__badge").hidden = false;
    }
    var up = node.querySelector(".js-comment-up");
    node.querySelector(".js-comment-upvotes").textContent = String(comment.upvotes);
    if (upvoted().indexOf(comment.id) !== -1) {
      up.disabled = true;
      up.setAttribute("aria-pressed", "true");
    }
    up.addEventListener("click", function () {
      upvote(comment.id, up);
    });
    var reply = node.querySelector(".js-comment-reply");
    var replies = node.querySelector(".comment__replies");
    if (isReply) {
      reply.remove();
      replies.remove();
    } else {
      reply.addEventListener("click", function () {
        replyTo(comment, node);
      });
      (comment.replies || []).forEach(function (child) {
        replies.appendChild(render(child, true));
      });
    }
    return node;
  }

  function request(url, options) {
    return fetch(url, options).then(function (response) {
      return response.json().then(function (data) {
        data.httpStatus = response.status;
        if (!response.ok) {
          var error = new Error(data.error || response.statusText);
          error.data = data;
          throw error;
        }
        return data;
      });
    });
  }

  function load(reset) {
    if (reset) {
      page = 1;
    }
    var url = (order === "hottest" ? base + "/hot" : base) + (page > 1 ? "?page=" + page : "");
    return request(url, { credentials: "same-origin", cache: "no-cache" }).then(function (data) {
      if (reset) {
        list.textContent = "";
      }
      data.comments.forEach(function (comment) {
        list.appendChild(render(comment, false));
      });
      setCount(data.count);
      empty.hidden = list.children.length > 0;
      more.hidden = data.page >= data.pages;
      closed.hidden = data.open;
      closed.textContent = data.closed_reason || "";
      isOpen = data.open;
      accounts = data.accounts || "off";
      showForm();
    });
  }

  // Who is signed in is never in the cached page: it comes from /api/accounts/me, asked only
  // when the site takes reader accounts.
  var isOpen = false;
  var accounts = "off";
  var account = null;
  var identity = section.querySelector(".js-comment-identity");
  var guest = section.querySelector(".js-comment-guest");
  var signin = section.querySelector(".js-comment-signin");
  var required = section.querySelector(".js-comment-required");
  var signout = section.querySelector(".js-comment-signout");

  function showForm() {
    var mayPost = isOpen && (accounts !== "required" || account !== null);
    form.hidden = !mayPost;
    required.hidden = !isOpen || mayPost;
    identity.hidden = !mayPost || account === null;
    guest.hidden = account !== null;
    signin.hidden = accounts !== "optional" || account !== null;
    section.querySelectorAll(".js-comment-reply").forEach(function (button) {
      button.hidden = !mayPost;
    });
  }

  function whoAmI() {
    if (accounts === "off") {
      return Promise.resolve();
    }
    return request("/api/accounts/me", { credentials: "same-origin", cache: "no-store" })
      .then(function (data) {
        account = data.signed_in ? data : null;
        if (account) {
          identity.querySelector(".js-comment-account").textContent = account.name;
          // The shared page holds no token; signing out takes this reader's.
          var token = document.createElement("input");
          token.type = "hidden";
          token.name = "csrfmiddlewaretoken";
          token.value = account.csrf;
          signout.appendChild(token);
        }
      })
      .catch(function () {
        account = null; // shown as signed out; a post then says what is missing
      });
  }

  function upvote(commentId, button) {
    button.disabled = true;
    request("/api/comments/" + commentId + "/up", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (data) {
        button.querySelector(".js-comment-upvotes").textContent = String(data.upvotes);
        button.setAttribute("aria-pressed", "true");
        remember(commentId);
      })
      .catch(function () {
        button.disabled = false;
      });
  }

  function replyTo(comment, node) {
    parentField.value = String(comment.id);
    node.appendChild(form);
    cancel.hidden = false;
    status.textContent = "";
    form.querySelector("textarea").focus();
  }

  function endReply() {
    parentField.value = "";
    cancel.hidden = true;
    formHome.insertBefore(form, formNext);
  }

  cancel.addEventListener("click", endReply);

  // The captcha, when the site asks for one: a key answers once, so each post gets a new one.
  var captcha = section.querySelector(".js-comment-captcha");
  function newCaptcha() {
    if (!captcha) {
      return;
    }
    request("/captcha/new/", { credentials: "same-origin", cache: "no-store" })
      .then(function (data) {
        captcha.hidden = !data.required;
        if (data.required) {
          captcha.querySelector("img").src = data.image_url;
          captcha.querySelector("[name=captcha_0]").value = data.key;
          captcha.querySelector("[name=captcha_1]").value = "";
        }
      })
      .catch(function () {
        // Without a captcha a post is refused with a message saying so.
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, key) {
      fields[key] = value;
    });
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    status.textContent = "";
    request("/comments/" + id + "/post", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(fields),
    })
      .then(function (data) {
        status.textContent = data.message;
        form.querySelector("textarea").value = "";
        if (data.status === "approved") {
          var parentId = data.comment.parent;
          var node = render(data.comment, Boolean(parentId));
          var thread = parentId && document.getElementById("c" + parentId);
          if (thread) {
            thread.querySelector(".comment__replies").appendChild(node);
          } else {
            list.insertBefore(node, list.firstChild);
          }
          empty.hidden = true;
          var count = section.querySelector(".js-comment-count");
          setCount(parseInt(count.textContent, 10) + 1);
        }
        endReply();
      })
      .catch(function (error) {
        status.textContent = error.message;
      })
      .then(function () {
        button.disabled = false;
        if (captcha && !captcha.hidden) {
          newCaptcha();
        }
      });
  });

  more.addEventListener("click", function () {
    page += 1;
    load(false);
  });

  section.querySelectorAll(".js-comments-order").forEach(function (tab) {
    tab.addEventListener("click", function () {
      order = tab.getAttribute("data-order");
      section.querySelectorAll(".js-comments-order").forEach(function (other) {
        other.setAttribute("aria-selected", other === tab ? "true" : "false");
      });
      load(true);
    });
  });

  load(true).then(whoAmI).then(function () {
    showForm();
    section.querySelector(".js-comments-fallback").hidden = true;
    app.hidden = false;
    newCaptcha();
  }).catch(function () {
    // The link to the comments page stays.
  });
})();

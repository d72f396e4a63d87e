// The 幻灯 carousel: without this script it is a row readers scroll. With it, the slides advance
// every few seconds (never under prefers-reduced-motion), with previous, next and pause buttons;
// the arrow keys move between slides when the row has focus; hovering or focusing pauses it.
(function () {
  "use strict";
  var INTERVAL = 6000;
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)");

  function setUp(root) {
    if (root.dataset.carouselReady) return;
    root.dataset.carouselReady = "1";
    var track = root.querySelector("[data-carousel-track]");
    var slides = track.querySelectorAll(".carousel__slide");
    var pauseButton = root.querySelector("[data-carousel-pause]");
    if (slides.length < 2) return;
    root.querySelector(".carousel__controls").hidden = false;
    root.classList.add("carousel--js");
    var current = 0;
    var timer = null;
    var pausedByUser = reduced.matches;
    var held = false;
    var moving = false;
    var settle = null;

    function mark(index) {
      current = index;
      slides.forEach(function (slide, i) {
        slide.setAttribute("aria-hidden", i === current ? "false" : "true");
        slide.querySelector("a").tabIndex = i === current ? 0 : -1;
      });
    }

    function go(index, fromKeyboard) {
      mark((index + slides.length) % slides.length);
      var left = slides[current].offsetLeft - track.offsetLeft;
      // Scroll events of this move are not the reader's: they must not pick a slide.
      moving = Math.abs(track.scrollLeft - left) > 1;
      track.scrollTo({ left: left, behavior: reduced.matches ? "auto" : "smooth" });
      if (fromKeyboard) track.setAttribute("aria-live", "polite");
    }

    function tick() {
      if (!pausedByUser && !held) go(current + 1);
    }

    function render() {
      var paused = pausedByUser;
      pauseButton.setAttribute("aria-pressed", paused ? "true" : "false");
      pauseButton.textContent = paused ? pauseButton.dataset.labelPlay : pauseButton.dataset.labelPause;
      track.setAttribute("aria-live", paused ? "polite" : "off");
      clearInterval(timer);
      timer = paused ? null : setInterval(tick, INTERVAL);
    }

    root.querySelector("[data-carousel-prev]").addEventListener("click", function () {
      go(current - 1, true);
    });
    root.querySelector("[data-carousel-next]").addEventListener("click", function () {
      go(current + 1, true);
    });
    pauseButton.addEventListener("click", function () {
      pausedByUser = !pausedByUser;
      render();
    });
    track.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();
        go(current + (event.key === "ArrowRight" ? 1 : -1), true);
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        go(event.key === "Home" ? 0 : slides.length - 1, true);
      }
    });
    // A slide scrolled into view by hand (touch, trackpad) becomes the current one, once the
    // scrolling has settled.
    track.addEventListener("scroll", function () {
      clearTimeout(settle);
      settle = setTimeout(function () {
        if (moving) {
          moving = false;
          return;
        }
        var left = track.scrollLeft + track.offsetLeft;
        var nearest = 0;
        slides.forEach(function (slide, i) {
          if (Math.abs(slide.offsetLeft - left) < Math.abs(slides[nearest].offsetLeft - left)) nearest = i;
        });
        mark(nearest);
      }, 150);
    }, { passive: true });
    ["mouseenter", "focusin"].forEach(function (name) {
      root.addEventListener(name, function () { held = true; });
    });
    ["mouseleave", "focusout"].forEach(function (name) {
      root.addEventListener(name, function () { held = false; });
    });
    reduced.addEventListener("change", function () {
      if (reduced.matches) pausedByUser = true;
      render();
    });
    go(0);
    render();
  }

  document.querySelectorAll("[data-carousel]").forEach(setUp);
})();

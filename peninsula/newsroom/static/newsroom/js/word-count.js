/*
 * The article body's live word count (字数统计), under 正文.
 *
 * A Chinese character counts as one, as does each word written in a script with spaces
 * (English: "COVID-19", "don't" and "3.5" are one word each); punctuation and images count
 * nothing. The text is read from the editor's saved content state (the hidden `body` input
 * Draftail keeps up to date), so images and embeds, which are atomic blocks, are left out.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var label = (script && script.dataset.label) || "%(total)s";
  // Han, kana and hangul: each character is a word of its own.
  var CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
  var WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

  function count(text) {
    var han = (text.match(CJK) || []).length;
    var words = (text.replace(CJK, " ").match(WORD) || []).length;
    return { han: han, words: words, total: han + words };
  }

  function bodyText(value) {
    if (!value) return "";
    try {
      var state = JSON.parse(value);
      return (state.blocks || [])
        .filter(function (block) { return block.type !== "atomic"; })
        .map(function (block) { return block.text; })
        .join("\n");
    } catch (e) {
      return "";
    }
  }

  function format(numbers) {
    return label.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in numbers ? numbers[name].toLocaleString() : match;
    });
  }

  function attach(input) {
    var output = document.createElement("p");
    output.className = "help";
    output.setAttribute("aria-live", "polite");
    output.dataset.newsroom = "word-count";
    var field = input.closest("[data-field-input]");
    if (field) {
      field.insertAdjacentElement("afterend", output);
    } else {
      input.parentNode.appendChild(output);
    }
    var shown = null;
    function update() {
      if (input.value === shown) return;
      shown = input.value;
      var numbers = count(bodyText(shown));
      output.textContent = format(numbers);
      output.dataset.total = numbers.total;
    }
    update();
    // Draftail writes the input without an event; a cheap comparison twice a second keeps up.
    window.setInterval(update, 500);
  }

  function start() {
    var input = document.querySelector('form input[name="body"][data-draftail-input]');
    if (input) attach(input);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

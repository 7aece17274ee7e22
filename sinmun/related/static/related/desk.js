// The editor's suggestion buttons (sinmun/related): a keyword chip adds its word to the keyword
// field; 부제로 넣기 puts the summary's lines into the 부제 lines. Nothing is saved until the
// editor saves. Data comes in data-* attributes (no inline script).
(function () {
  "use strict";
  function keywordField() { return document.getElementById("id_keywords"); }

  function addKeyword(button) {
    var field = keywordField();
    if (!field) return;
    var word = button.getAttribute("data-related-keyword");
    var words = field.value.split(",").map(function (w) { return w.trim(); }).filter(Boolean);
    if (words.indexOf(word) === -1) words.push(word);
    field.value = words.join(", ");
    field.dispatchEvent(new Event("input", { bubbles: true }));
    button.setAttribute("aria-pressed", "true");
    button.disabled = true;
    button.textContent = "✓ " + word;
  }

  function putLines(button) {
    var lines = button.getAttribute("data-related-subheadlines").split("\n").filter(function (l) { return l.trim(); });
    var textarea = document.getElementById("id_subheadlines");
    var box = document.querySelector(".lines-editor");
    if (!box) {
      if (textarea) textarea.value = lines.join("\n");
      return;
    }
    var add = Array.prototype.filter.call(box.querySelectorAll("button"), function (b) { return !b.closest(".line"); })[0];
    lines.forEach(function (line) {
      var empty = Array.prototype.filter.call(box.querySelectorAll(".line input"), function (i) { return !i.value.trim(); })[0];
      if (!empty && add && box.querySelectorAll(".line").length < 6) {
        add.click();
        empty = Array.prototype.filter.call(box.querySelectorAll(".line input"), function (i) { return !i.value.trim(); })[0];
      }
      if (empty) {
        empty.value = line;
        empty.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  document.addEventListener("click", function (event) {
    var chip = event.target.closest("[data-related-keyword]");
    if (chip) { addKeyword(chip); return; }
    var summary = event.target.closest("[data-related-subheadlines]");
    if (summary) putLines(summary);
  });
})();

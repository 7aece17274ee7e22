// The desk editor's helpers: character counts, 부제 lines, byline order, inline photos,
// autosave every 30 s, who else has the article open, and Korean names for the body editor's
// toolbar. The page works without them: the form posts the same fields either way.
//
// Loaded in <head>, before the editor's modules: the editor announces itself
// ("prose-editor:ready") before DOMContentLoaded, so the listener must be there first; the
// rest waits for the page.
window.sinmunEditors = [];

// The package's toolbar speaks English; give each button a Korean tooltip and name (the icon's
// ligature text is what a screen reader would read otherwise).
function sinmunRelabel(root) {
  "use strict";
  var labels = window.SINMUN_EDITOR_LABELS || {};
  root.querySelectorAll(".prose-menubar [title]").forEach(function (button) {
    var korean = labels[button.getAttribute("title")];
    if (korean) { button.title = korean; button.setAttribute("aria-label", korean); }
  });
  root.querySelectorAll(".prose-menubar h2, .prose-menubar h3, .prose-menubar p").forEach(function (option) {
    var korean = labels[option.textContent.trim()];
    if (korean) option.textContent = korean;
  });
}

document.addEventListener("prose-editor:ready", function (event) {
  "use strict";
  var root = event.detail.textarea.closest(".body-field") || document;
  // The menu draws itself again as the selection moves; name its buttons each time.
  var relabel = function () { sinmunRelabel(root); };
  relabel();
  window.requestAnimationFrame(relabel);
  event.detail.editor.on("transaction", relabel);
  window.sinmunEditors.push(event.detail);
});

document.addEventListener("DOMContentLoaded", function sinmunEditorPage() {
  "use strict";
  var form = document.getElementById("article-form");
  if (!form) return;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var bodyField = form.querySelector("textarea[name=body]");
  var editor = null;

  function post(url, data) {
    data.append("csrfmiddlewaretoken", csrf);
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf } });
  }
  function textLength(html) {
    var div = document.createElement("div");
    div.innerHTML = html || "";
    return (div.textContent || "").replace(/\s+/g, " ").trim().length;
  }

  // 자 count: the headline's length against the portal hint, the body's plain-text length.
  var headline = document.getElementById("id_headline");
  var headlineCount = document.querySelector('[data-count-for="id_headline"]');
  function countHeadline() {
    headlineCount.textContent = headline.value.length;
    headlineCount.parentNode.classList.toggle("error", headline.value.length > 40);
  }
  headline.addEventListener("input", countHeadline);
  countHeadline();
  var bodyCount = document.getElementById("body-count");
  function countBody() {
    var html = editor ? editor.getHTML() : bodyField.value;
    bodyCount.textContent = textLength(html).toLocaleString("ko-KR");
  }
  countBody();

  function attach(detail) {
    if (detail.textarea !== bodyField || editor) return;
    editor = detail.editor;
    editor.on("update", countBody);
    countBody();
  }
  window.sinmunEditors.forEach(attach);
  document.addEventListener("prose-editor:ready", function (event) { attach(event.detail); });

  // 부제: one input per line with add, remove and move, kept in the textarea the form posts.
  var lines = form.querySelector("[data-lines-editor]");
  if (lines) {
    var box = document.createElement("div");
    box.className = "lines-editor";
    lines.hidden = true;
    lines.parentNode.insertBefore(box, lines.nextSibling);
    function sync() {
      var values = [];
      box.querySelectorAll(".line input").forEach(function (input) { if (input.value.trim()) values.push(input.value); });
      lines.value = values.join("\n");
    }
    function addLine(value) {
      var row = document.createElement("div");
      row.className = "line";
      var input = document.createElement("input");
      input.value = value || "";
      input.maxLength = 200;
      input.setAttribute("aria-label", "부제 줄");
      input.addEventListener("input", sync);
      row.appendChild(input);
      [["▲", "위로"], ["▼", "아래로"], ["삭제", "이 줄 삭제"]].forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b[0];
        button.setAttribute("aria-label", b[1]);
        button.addEventListener("click", function () {
          if (b[0] === "▲" && row.previousElementSibling) box.insertBefore(row, row.previousElementSibling);
          if (b[0] === "▼" && row.nextElementSibling && row.nextElementSibling.classList.contains("line")) box.insertBefore(row.nextElementSibling, row);
          if (b[0] === "삭제") row.remove();
          sync();
        });
        row.appendChild(button);
      });
      box.insertBefore(row, addButton);
      return input;
    }
    var addButton = document.createElement("button");
    addButton.type = "button";
    addButton.textContent = "부제 줄 추가";
    addButton.addEventListener("click", function () {
      if (box.querySelectorAll(".line").length >= 6) return;
      addLine("").focus();
    });
    box.appendChild(addButton);
    var existing = lines.value.split("\n").filter(function (v) { return v.trim(); });
    (existing.length ? existing : [""]).forEach(function (v) { addLine(v); });
  }

  // Byline: picking a reporter appends them; order is kept as arranged.
  var byline = document.getElementById("byline");
  var pick = document.getElementById("reporter-pick");
  function bylineButtons(li) {
    li.querySelectorAll("[data-move]").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.move === "up" && li.previousElementSibling) byline.insertBefore(li, li.previousElementSibling);
        if (b.dataset.move === "down" && li.nextElementSibling) byline.insertBefore(li.nextElementSibling, li);
      });
    });
    var remove = li.querySelector("[data-remove]");
    if (remove) remove.addEventListener("click", function () { li.remove(); });
  }
  if (byline && pick) {
    pick.removeAttribute("name"); // with the script, the list below is what is posted
    byline.querySelectorAll("li").forEach(bylineButtons);
    pick.addEventListener("change", function () {
      var id = pick.value;
      if (!id || byline.querySelector('input[value="' + id + '"]')) { pick.value = ""; return; }
      var label = pick.options[pick.selectedIndex].text;
      var li = document.createElement("li");
      li.innerHTML = '<input type="hidden" name="reporters"><span></span> <button type="button" class="link" data-move="up">▲</button><button type="button" class="link" data-move="down">▼</button><button type="button" class="link" data-remove>빼기</button>';
      li.querySelector("input").value = id;
      li.querySelector("span").textContent = label;
      li.querySelector("[data-move=up]").setAttribute("aria-label", label + " 위로");
      li.querySelector("[data-move=down]").setAttribute("aria-label", label + " 아래로");
      li.querySelector("[data-remove]").setAttribute("aria-label", label + " 빼기");
      byline.appendChild(li);
      bylineButtons(li);
      pick.value = "";
    });
  }

  // Inline photos: uploaded (checked and cleaned by the server), then put into the body.
  var photoButton = document.getElementById("insert-photo");
  var photoInput = document.getElementById("inline-photo");
  var photoError = document.getElementById("photo-error");
  if (photoButton && photoInput) {
    photoButton.addEventListener("click", function () { photoInput.click(); });
    photoInput.addEventListener("change", function () {
      if (!photoInput.files.length) return;
      var data = new FormData();
      data.append("photo", photoInput.files[0]);
      photoError.hidden = true;
      post(form.dataset.photoUrl, data).then(function (r) { return r.json(); }).then(function (answer) {
        photoInput.value = "";
        if (answer.error) { photoError.textContent = answer.error; photoError.hidden = false; return; }
        var caption = window.prompt("사진 설명 (사진=출처)", "") || "";
        var figure = document.createElement("figure");
        var img = document.createElement("img");
        img.src = answer.url; img.alt = caption;
        figure.appendChild(img);
        var figcaption = document.createElement("figcaption");
        figcaption.textContent = caption;
        figure.appendChild(figcaption);
        if (editor) editor.chain().focus().insertContent(figure.outerHTML).run();
        else bodyField.value += figure.outerHTML;
      });
    });
  }

  // Autosave every 30 s when something changed since the last one; the next real save
  // replaces it on the server.
  var state = document.getElementById("autosave-state");
  var last = null;
  function snapshot() {
    if (editor) bodyField.value = editor.getHTML();
    var data = new FormData();
    ["headline", "subheadlines", "body", "lead_photo_caption", "lead_photo_credit", "base_version"].forEach(function (name) {
      var field = form.elements[name];
      if (field) data.append(name, field.value);
    });
    return data;
  }
  function autosave() {
    var data = snapshot();
    var key = JSON.stringify(Array.from(data.entries()));
    if (key === last) return;
    last = key;
    post(form.dataset.autosaveUrl, data).then(function (r) { return r.json(); }).then(function (answer) {
      if (answer.at) state.textContent = "자동 저장 " + answer.at;
    }).catch(function () { state.textContent = "자동 저장 실패 (연결 확인)"; });
  }
  last = JSON.stringify(Array.from(snapshot().entries()));
  setInterval(autosave, 30000);
  form.addEventListener("submit", function () { if (editor) bodyField.value = editor.getHTML(); });

  // Who else has the article open, and whether someone saved a newer version meanwhile.
  var presenceUrl = form.dataset.presenceUrl;
  var presence = document.getElementById("presence");
  if (presenceUrl && presence) {
    var myVersion = form.dataset.version;
    function beat() {
      post(presenceUrl, new FormData()).then(function (r) { return r.json(); }).then(function (answer) {
        var notes = [];
        if (answer.others && answer.others.length) notes.push(answer.others.join(", ") + " 님도 이 기사를 열어 두었습니다.");
        if (answer.version && String(answer.version) !== myVersion) notes.push("다른 사람이 새 판(" + answer.version + "판)을 저장했습니다. 지금 저장하면 두 판을 비교하는 화면이 나옵니다.");
        presence.textContent = notes.join(" ");
        presence.hidden = !notes.length;
      }).catch(function () {});
    }
    beat();
    setInterval(beat, 15000);
    window.addEventListener("pagehide", function () {
      var data = new FormData();
      data.append("leave", "1");
      data.append("csrfmiddlewaretoken", csrf);
      navigator.sendBeacon(presenceUrl, data);
    });
  }
});

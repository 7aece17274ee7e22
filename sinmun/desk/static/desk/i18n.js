// Korean words for the body editor. django-prose-editor takes its dialog texts from
// window.gettext (Django's JavaScript catalog); serving that catalog would need a view and
// compiled message files for some forty strings, so the desk ships them here, loaded before
// the editor. Toolbar tooltips and the block-type menu are not translated by the package;
// editor.js relabels them from SINMUN_EDITOR_LABELS once the editor is ready.
(function () {
  "use strict";
  var dialogs = {
    "Image URL": "사진 주소",
    "Alternative Text": "대체 텍스트",
    "Caption": "사진 설명",
    "Edit Figure": "사진 고치기",
    "Insert Figure": "사진 넣기",
    "Update": "고치기",
    "Insert": "넣기",
    "Edit HTML": "HTML 편집",
    "Prettify": "정리",
    "URL": "주소",
    "Title": "제목",
    "Open in new window": "새 창에서 열기",
    "Edit Link": "링크 고치기",
    "List properties": "목록 설정",
    "Toggle fullscreen": "전체 화면",
    "Decimal numbers": "숫자",
    "Lowercase letters": "영문 소문자",
    "Uppercase letters": "영문 대문자",
    "Lowercase Roman numerals": "로마 숫자 소문자",
    "Uppercase Roman numerals": "로마 숫자 대문자",
    "Start at": "시작 번호",
    "List type": "목록 종류",
    "Rows": "행",
    "Columns": "열",
    "Include header row": "제목 행 넣기",
    "Table Properties": "표 설정",
    "Insert Table": "표 넣기",
    "Cancel": "취소"
  };
  window.gettext = function (text) { return dialogs[text] || text; };
  window.SINMUN_EDITOR_LABELS = {
    "paragraph": "문단 형식",
    "unordered list": "글머리 기호 목록",
    "ordered list": "번호 목록",
    "List properties": "목록 설정",
    "blockquote": "인용",
    "horizontal rule": "구분선",
    "figure": "사진 넣기 (주소)",
    "bold": "굵게",
    "italic": "기울임",
    "underline": "밑줄",
    "strike": "취소선",
    "subscript": "아래 첨자",
    "superscript": "위 첨자",
    "insert link": "링크 넣기",
    "remove link": "링크 빼기",
    "Insert table": "표 넣기",
    "Add column": "열 추가",
    "Delete column": "열 삭제",
    "Add row": "행 추가",
    "Delete row": "행 삭제",
    "Merge cells": "셀 합치기",
    "Split cell": "셀 나누기",
    "Toggle header cell": "제목 셀 전환",
    "Delete table": "표 삭제",
    "undo": "실행 취소",
    "redo": "다시 실행",
    "Heading 2": "소제목",
    "Heading 3": "작은 소제목",
    "Paragraph": "본문"
  };
})();

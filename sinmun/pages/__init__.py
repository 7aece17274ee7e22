"""The outlet's legal pages (청소년보호정책, 개인정보처리방침, 이메일무단수집거부, 윤리강령,
기사배열 기본방침).

``models`` holds the edited texts, ``services`` every write (관리자 only), ``selectors`` every
read (a page never edited shows its default text, ``defaults``), ``checks`` the startup warning
for empty 신문법 §21 fields. Built on the core (``newsroom``); the core imports nothing of it.
"""

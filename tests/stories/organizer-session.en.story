# An organizer's weekly session: the channel's language, the form in three parts, edit, one date cancelled, the announcement, answers, a waitlist, the reminder and "did you make it?" (en)
@ at 2026-12-01T10:00
@ as org en
Hello, org. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo session lang
Posts in #general are in 日本語, this server's default. An organizer can change it: /ippo session lang ja or /ippo session lang en.
> /ippo session lang en
✓ From now on ippo posts in English in #general: announcements, their updates and cancellation notices, for every session there.
> /ippo session add
"Session" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Title (For example: In-house study group):
> Thursday data study group
Start (For example: 2026-12-12 14:00, next sat 2pm, 来週土曜 14:00):
> 2026-12-10 19:00
Length (For example: 90, 90 min, 1h30) [90]:
> 
Place or URL (For example: Room 3A, or https://meet.example.org/study):
> Room 3A
Description (What happens, who it is for. Just listening is welcome.):
> 
== Check before saving ==
"Thursday data study group" will be saved like this. Is it right?
ippo posts the announcements in #general.
  When: Thu 2026-12-10 19:00 (Asia/Tokyo)
  Length: 90 minutes
  Dates: Once
  Where: Room 3A
  Cost: Free
  Seats: No limit
  [1] Save
  [2] Edit basics
  [3] Repeat & channel
  [4] Seats & cost
  [5] Cancel
Type a number (1–5) to press a button of the latest message.
> 3
"Repeat and channel" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Repeat (optional) (For example: weekly, every 2 weeks, 2nd sat, monthly):
> weekly
Timezone (A city or timezone, for example: Tokyo, New York, Asia/Tokyo) [Asia/Tokyo]:
> 
Channel to announce in (optional) (Empty: the channel you are typing in) [general]:
> 
== Check before saving ==
"Thursday data study group" will be saved like this. Is it right?
ippo posts the announcements in #general.
  When: Thu 2026-12-10 19:00 (Asia/Tokyo)
  Length: 90 minutes
  Dates: Thu 2026-12-10 19:00, Thu 2026-12-17 19:00, Thu 2026-12-24 19:00 …
  Where: Room 3A
  Cost: Free
  Seats: No limit
  [1] Save
  [2] Edit basics
  [3] Repeat & channel
  [4] Seats & cost
  [5] Cancel
Type a number (1–5) to press a button of the latest message.
> 4
"Seats, cost and level" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Seats (optional) (For example: 20. Empty means no limit):
> 2
Cost (optional) (For example: free, 500 yen):
> 
Suits level (optional) (A number: 1 = Just watch or listen, 2 = Close by, 3 = Join in a free community, 4 = Go deeper):
> 
== Check before saving ==
"Thursday data study group" will be saved like this. Is it right?
ippo posts the announcements in #general.
  When: Thu 2026-12-10 19:00 (Asia/Tokyo)
  Length: 90 minutes
  Dates: Thu 2026-12-10 19:00, Thu 2026-12-17 19:00, Thu 2026-12-24 19:00 …
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Save
  [2] Edit basics
  [3] Repeat & channel
  [4] Seats & cost
  [5] Cancel
Type a number (1–5) to press a button of the latest message.
> 1
✓ Saved as session #1 "Thursday data study group". It will be announced in #general ahead of each date.
> /ippo sessions
== Coming up ==
#1  Thu 2026-12-10 19:00  Thursday data study group
#1  Thu 2026-12-17 19:00  Thursday data study group
#1  Thu 2026-12-24 19:00  Thursday data study group
#1  Thu 2026-12-31 19:00  Thursday data study group
#1  Thu 2027-01-07 19:00  Thursday data study group
#1  Thu 2027-01-14 19:00  Thursday data study group
#1  Thu 2027-01-21 19:00  Thursday data study group
#1  Thu 2027-01-28 19:00  Thursday data study group
#1  Thu 2027-02-04 19:00  Thursday data study group
#1  Thu 2027-02-11 19:00  Thursday data study group

Just watching counts too. /ippo sessions feed puts them in your calendar.
More dates: press "Later dates" or type /ippo sessions 2.
  (Choose a session to answer)
  [1] Later dates
  (2) Thu 2026-12-10 19:00 Thursday data study group
  (3) Thu 2026-12-17 19:00 Thursday data study group
  (4) Thu 2026-12-24 19:00 Thursday data study group
  (5) Thu 2026-12-31 19:00 Thursday data study group
  (6) Thu 2027-01-07 19:00 Thursday data study group
  (7) Thu 2027-01-14 19:00 Thursday data study group
  (8) Thu 2027-01-21 19:00 Thursday data study group
  (9) Thu 2027-01-28 19:00 Thursday data study group
  (10) Thu 2027-02-04 19:00 Thursday data study group
  (11) Thu 2027-02-11 19:00 Thursday data study group
Type a number (1–11) to press a button of the latest message.
> 2
== Thursday data study group ==
In 9 days.
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> /ippo sessions 2
== Coming up (page 2) ==
#1  Thu 2027-02-18 19:00  Thursday data study group
#1  Thu 2027-02-25 19:00  Thursday data study group
#1  Thu 2027-03-04 19:00  Thursday data study group
#1  Thu 2027-03-11 19:00  Thursday data study group
#1  Thu 2027-03-18 19:00  Thursday data study group
#1  Thu 2027-03-25 19:00  Thursday data study group

Just watching counts too. /ippo sessions feed puts them in your calendar.
  (Choose a session to answer)
  [1] Earlier dates
  (2) Thu 2027-02-18 19:00 Thursday data study group
  (3) Thu 2027-02-25 19:00 Thursday data study group
  (4) Thu 2027-03-04 19:00 Thursday data study group
  (5) Thu 2027-03-11 19:00 Thursday data study group
  (6) Thu 2027-03-18 19:00 Thursday data study group
  (7) Thu 2027-03-25 19:00 Thursday data study group
Type a number (1–7) to press a button of the latest message.
> 1
== Coming up ==
#1  Thu 2026-12-10 19:00  Thursday data study group
#1  Thu 2026-12-17 19:00  Thursday data study group
#1  Thu 2026-12-24 19:00  Thursday data study group
#1  Thu 2026-12-31 19:00  Thursday data study group
#1  Thu 2027-01-07 19:00  Thursday data study group
#1  Thu 2027-01-14 19:00  Thursday data study group
#1  Thu 2027-01-21 19:00  Thursday data study group
#1  Thu 2027-01-28 19:00  Thursday data study group
#1  Thu 2027-02-04 19:00  Thursday data study group
#1  Thu 2027-02-11 19:00  Thursday data study group

Just watching counts too. /ippo sessions feed puts them in your calendar.
More dates: press "Later dates" or type /ippo sessions 2.
  (Choose a session to answer)
  [1] Later dates
  (2) Thu 2026-12-10 19:00 Thursday data study group
  (3) Thu 2026-12-17 19:00 Thursday data study group
  (4) Thu 2026-12-24 19:00 Thursday data study group
  (5) Thu 2026-12-31 19:00 Thursday data study group
  (6) Thu 2027-01-07 19:00 Thursday data study group
  (7) Thu 2027-01-14 19:00 Thursday data study group
  (8) Thu 2027-01-21 19:00 Thursday data study group
  (9) Thu 2027-01-28 19:00 Thursday data study group
  (10) Thu 2027-02-04 19:00 Thursday data study group
  (11) Thu 2027-02-11 19:00 Thursday data study group
Type a number (1–11) to press a button of the latest message.
> /ippo session edit 1
"Session" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Title (For example: In-house study group) [Thursday data study group]:
> 
Start (For example: 2026-12-12 14:00, next sat 2pm, 来週土曜 14:00) [2026-12-10 19:00]:
> 
Length (For example: 90, 90 min, 1h30) [90]:
> 
Place or URL (For example: Room 3A, or https://meet.example.org/study) [Room 3A]:
> 
Description (What happens, who it is for. Just listening is welcome.):
> We read one open data set together. Just listening is welcome.
== Check before saving ==
"Thursday data study group" will be saved like this. Is it right?
ippo posts the announcements in #general.
  When: Thu 2026-12-10 19:00 (Asia/Tokyo)
  Length: 90 minutes
  Dates: Thu 2026-12-10 19:00, Thu 2026-12-17 19:00, Thu 2026-12-24 19:00 …
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Save
  [2] Edit basics
  [3] Repeat & channel
  [4] Seats & cost
  [5] Cancel
Type a number (1–5) to press a button of the latest message.
> 1
✓ Session #1 "Thursday data study group" is updated. The announcements already in #general will show the change.
> /ippo session cancel 1 2026-12-17
! Cancel "Thursday data study group" on Thu 2026-12-17 19:00 only? The channel and the people who answered will be told.
  [1] Cancel this date
  [2] Keep it
Type a number (1–2) to press a button of the latest message.
> 1
"Thursday data study group" on Thu 2026-12-17 19:00 is cancelled.
@ tick 2026-12-03T19:01
→ #general: == Thursday data study group ==
In 7 days.
We read one open data set together. Just listening is welcome.
Going 0 · Watching only 0 · Maybe 0 · Can't 0 (2 seats left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (1):
→ #general: == Thursday data study group ==
In 7 days.
We read one open data set together. Just listening is welcome.
Going 0 · Watching only 0 · Maybe 0 · Can't 0 (2 seats left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> 1
== Thursday data study group ==
We read one open data set together. Just listening is welcome.
Going 1 · Watching only 0 · Maybe 0 · Can't 0 (1 seat left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
✓ Your answer for "Thursday data study group": going. You can change it any time.
Type a number (1–4) to press a button of the latest message.
@ as ben en
Hello, ben. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (1):
→ #general: == Thursday data study group ==
In 7 days.
We read one open data set together. Just listening is welcome.
Going 0 · Watching only 0 · Maybe 0 · Can't 0 (2 seats left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> 2
== Thursday data study group ==
We read one open data set together. Just listening is welcome.
Going 1 · Watching only 1 · Maybe 0 · Can't 0 (1 seat left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
✓ Your answer for "Thursday data study group": watching only. You can change it any time.
Type a number (1–4) to press a button of the latest message.
@ as cat en
Hello, cat. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (1):
→ #general: == Thursday data study group ==
In 7 days.
We read one open data set together. Just listening is welcome.
Going 0 · Watching only 0 · Maybe 0 · Can't 0 (2 seats left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> 1
== Thursday data study group ==
We read one open data set together. Just listening is welcome.
Going 2 · Watching only 1 · Maybe 0 · Can't 0 (full)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
✓ Your answer for "Thursday data study group": going. You can change it any time.
Type a number (1–4) to press a button of the latest message.
@ as dan en
Hello, dan. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (1):
→ #general: == Thursday data study group ==
In 7 days.
We read one open data set together. Just listening is welcome.
Going 0 · Watching only 0 · Maybe 0 · Can't 0 (2 seats left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> 1
== Thursday data study group ==
We read one open data set together. Just listening is welcome.
Going 2 · Watching only 1 · Maybe 0 · Can't 0 (full, 1 on the waitlist)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
✓ Your answer for "Thursday data study group": on the waitlist. You can change it any time.
It is full right now, so you are on the waitlist. If a seat opens, you move up and I will let you know.
Type a number (1–4) to press a button of the latest message.
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo sessions
== Coming up ==
#1  Thu 2026-12-10 19:00  Thursday data study group (your answer: going)
#1  Thu 2026-12-24 19:00  Thursday data study group
#1  Thu 2026-12-31 19:00  Thursday data study group
#1  Thu 2027-01-07 19:00  Thursday data study group
#1  Thu 2027-01-14 19:00  Thursday data study group
#1  Thu 2027-01-21 19:00  Thursday data study group
#1  Thu 2027-01-28 19:00  Thursday data study group
#1  Thu 2027-02-04 19:00  Thursday data study group
#1  Thu 2027-02-11 19:00  Thursday data study group
#1  Thu 2027-02-18 19:00  Thursday data study group

Just watching counts too. /ippo sessions feed puts them in your calendar.
More dates: press "Later dates" or type /ippo sessions 2.
  (Choose a session to answer)
  [1] Later dates
  (2) Thu 2026-12-10 19:00 Thursday data study group
  (3) Thu 2026-12-24 19:00 Thursday data study group
  (4) Thu 2026-12-31 19:00 Thursday data study group
  (5) Thu 2027-01-07 19:00 Thursday data study group
  (6) Thu 2027-01-14 19:00 Thursday data study group
  (7) Thu 2027-01-21 19:00 Thursday data study group
  (8) Thu 2027-01-28 19:00 Thursday data study group
  (9) Thu 2027-02-04 19:00 Thursday data study group
  (10) Thu 2027-02-11 19:00 Thursday data study group
  (11) Thu 2027-02-18 19:00 Thursday data study group
Type a number (1–11) to press a button of the latest message.
> 2
== Thursday data study group ==
In 7 days.
We read one open data set together. Just listening is welcome.
(your answer: going)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> 4
✓ Your answer for "Thursday data study group": can't make it. You can change it any time.
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
@ as dan en
Hello, dan. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (1):
→ @dan: ✓ A seat opened up: you are now going to "Thursday data study group" (Thu 2026-12-10 19:00). If you cannot make it after all, change your answer with /ippo sessions.
@ tick 2026-12-09T19:01
→ #general: == Thursday data study group ==
Tomorrow at 19:00.
We read one open data set together. Just listening is welcome.
Going 2 · Watching only 1 · Maybe 0 · Can't 1 (full)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
@ tick 2026-12-10T18:01
→ @dan: == Reminder: Thursday data study group ==
Starting in 59 minutes, at 19:00. Just listening is fine too.
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] I can't make it after all
Type 1 to press the button of the latest message.
@ as cat en
Hello, cat. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (2):
→ #general: == Thursday data study group ==
Tomorrow at 19:00.
We read one open data set together. Just listening is welcome.
Going 2 · Watching only 1 · Maybe 0 · Can't 1 (full)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
→ @cat: == Reminder: Thursday data study group ==
Starting in 59 minutes, at 19:00. Just listening is fine too.
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] I can't make it after all
Type 1 to press the button of the latest message.
@ tick 2026-12-10T19:00
→ #general: == Thursday data study group ==
Starting now.
We read one open data set together. Just listening is welcome.
Going 2 · Watching only 1 · Maybe 0 · Can't 1 (full)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
@ tick 2026-12-10T20:31
→ @cat: Did you make it to "Thursday data study group"?
  [1] Yes, I did
  [2] Not this time
Type a number (1–2) to press a button of the latest message.
> 1
✓ Logged "Thursday data study group" on your journey. That was a step.
  [1] See my journey
Type 1 to press the button of the latest message.
> /ippo journey
== Your journey ==
Steps taken so far: 1

2026-12
  1. 12/10  Thursday data study group

Your level now: Just watch or listen

To delete an entry with its note, type /ippo journey delete and its number (for example: /ippo journey delete 1).
  [1] Suggest a step
Type 1 to press the button of the latest message.
@ as ben en
Hello, ben. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (4):
→ #general: == Thursday data study group ==
Tomorrow at 19:00.
We read one open data set together. Just listening is welcome.
Going 2 · Watching only 1 · Maybe 0 · Can't 1 (full)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
→ @ben: == Reminder: Thursday data study group ==
Starting in 59 minutes, at 19:00. Just listening is fine too.
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] I can't make it after all
→ #general: == Thursday data study group ==
Starting now.
We read one open data set together. Just listening is welcome.
Going 2 · Watching only 1 · Maybe 0 · Can't 1 (full)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  Seats: 2
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
→ @ben: Did you make it to "Thursday data study group"?
  [1] Yes, I did
  [2] Not this time
Type a number (1–2) to press a button of the latest message.
> 2
✓ No problem. There will be other chances.

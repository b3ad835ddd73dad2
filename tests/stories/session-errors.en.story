# Every message a member or an organizer can meet in sessions when something is not right (en)
@ at 2026-12-01T10:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo session add
! Only organizers can add, edit or cancel sessions. If you would like to hold one, please ask an organizer in your workspace.
> /ippo session edit 1
! Only organizers can add, edit or cancel sessions. If you would like to hold one, please ask an organizer in your workspace.
> /ippo session lang en
! Only organizers can add, edit or cancel sessions. If you would like to hold one, please ask an organizer in your workspace.
> /ippo session
! How to use sessions:
/ippo sessions — what is coming up (/ippo sessions 2 for the next ten dates)
/ippo sessions feed — your calendar feed URL
/ippo session add — add a session (organizers)
/ippo session edit 3 — edit session #3
/ippo session cancel 3 [2026-12-10] — cancel session #3 (or just that day)
/ippo session move 3 2026-12-10 "2026-12-11 19:00" — move that day's session
/ippo session lang en — the language of the posts in this channel (organizers)
> /ippo sessions 2
No sessions are planned right now.
@ as org en
Hello, org. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo session lang fr
! "fr" is not something /ippo session lang understands. Type ja or en, and the channel if it is another one (for example: /ippo session lang en, or /ippo session lang ja #general).
> /ippo session lang en
✓ From now on ippo posts in English in #general: announcements, their updates and cancellation notices, for every session there.
> /ippo session add
"Session" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Title (For example: In-house study group):
> Thursday data study group
Start (For example: 2026-12-12 14:00, next sat 2pm, 来週土曜 14:00):
> someday
Length (For example: 90, 90 min, 1h30) [90]:
> forever
Place or URL (For example: Room 3A, or https://meet.example.org/study):
> 
Description (What happens, who it is for. Just listening is welcome.):
> 
! Some things need fixing (press the part to edit; what you typed is kept):
- I could not read "someday" as a future date and time. For example: 2026-12-12 14:00, next sat 2pm or 来週土曜 14:00.
- I could not read "forever" as a length. For example: 90, 90 min or 1h30 (5 minutes to 24 hours).
  [1] Edit basics
  [2] Repeat & channel
  [3] Seats & cost
  [4] Cancel
Type a number (1–4) to press a button of the latest message.
> 1
"Session" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Title (For example: In-house study group) [Thursday data study group]:
> 
Start (For example: 2026-12-12 14:00, next sat 2pm, 来週土曜 14:00) [someday]:
> 2026-12-10 19:00
Length (For example: 90, 90 min, 1h30) [forever]:
> 90
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
> FREQ=HOURLY
Timezone (A city or timezone, for example: Tokyo, New York, Asia/Tokyo) [Asia/Tokyo]:
> 
Channel to announce in (optional) (Empty: the channel you are typing in) [general]:
> 
! "FREQ=HOURLY" would hold the session more than once a day, and sessions repeat at most once a day. Nothing was changed. Please type a daily or slower repeat, for example: weekly, every 2 weeks, 2nd sat, FREQ=DAILY or FREQ=WEEKLY;BYDAY=TH.
> 3
"Repeat and channel" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Repeat (optional) (For example: weekly, every 2 weeks, 2nd sat, monthly):
> 2nd sat
Timezone (A city or timezone, for example: Tokyo, New York, Asia/Tokyo) [Asia/Tokyo]:
> EST
Channel to announce in (optional) (Empty: the channel you are typing in) [general]:
> #general!
! Some things need fixing (press the part to edit; what you typed is kept):
- "EST" stays the same all year and ignores daylight saving, so the session would be an hour off for part of the year. Type the place instead: America/New_York.
- "#general!" is not a channel I can read. Type its id or #name (for example: C0123ABCD or #general), or leave it empty for the channel you are typing in.
- The start, Thu 2026-12-10 19:00, is not one of the dates "2nd sat" gives: its first would be Sat 2026-12-12 19:00. Change the start to that day, or type a repeat without a day (for example: weekly, every 2 weeks, monthly), which follows the start.
  [1] Edit basics
  [2] Repeat & channel
  [3] Seats & cost
  [4] Cancel
Type a number (1–4) to press a button of the latest message.
> 2
"Repeat and channel" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Repeat (optional) (For example: weekly, every 2 weeks, 2nd sat, monthly) [2nd sat]:
> every 12 weeks
Timezone (A city or timezone, for example: Tokyo, New York, Asia/Tokyo) [EST]:
> Tokio
Channel to announce in (optional) (Empty: the channel you are typing in) [#general!]:
> 
! Some things need fixing (press the part to edit; what you typed is kept):
- I am not sure which timezone "Tokio" is. Did you mean Asia/Tokyo? Type it in the timezone field.
- "#general!" is not a channel I can read. Type its id or #name (for example: C0123ABCD or #general), or leave it empty for the channel you are typing in.
- "every 12 weeks": sessions can repeat every 1 to 8 weeks. For example: every 2 weeks.
  [1] Edit basics
  [2] Repeat & channel
  [3] Seats & cost
  [4] Cancel
Type a number (1–4) to press a button of the latest message.
> 2
"Repeat and channel" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Repeat (optional) (For example: weekly, every 2 weeks, 2nd sat, monthly) [every 12 weeks]:
> weekly
Timezone (A city or timezone, for example: Tokyo, New York, Asia/Tokyo) [Tokio]:
> Tokyo
Channel to announce in (optional) (Empty: the channel you are typing in) [#general!]:
> -
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
> lots
Cost (optional) (For example: free, 500 yen):
> 
Suits level (optional) (A number: 1 = Just watch or listen, 2 = Close by, 3 = Join in a free community, 4 = Go deeper):
> 9
! Some things need fixing (press the part to edit; what you typed is kept):
- "9" is not a level. Use a number from 1 to 4, or leave it empty.
- "lots" is not a number of seats. For example: 20, or leave it empty for no limit.
  [1] Edit basics
  [2] Repeat & channel
  [3] Seats & cost
  [4] Cancel
Type a number (1–4) to press a button of the latest message.
> 3
"Seats, cost and level" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Seats (optional) (For example: 20. Empty means no limit) [lots]:
> 20
Cost (optional) (For example: free, 500 yen):
> 
Suits level (optional) (A number: 1 = Just watch or listen, 2 = Close by, 3 = Join in a free community, 4 = Go deeper) [9]:
> 1
== Check before saving ==
"Thursday data study group" will be saved like this. Is it right?
ippo posts the announcements in #general.
  When: Thu 2026-12-10 19:00 (Asia/Tokyo)
  Length: 90 minutes
  Dates: Thu 2026-12-10 19:00, Thu 2026-12-17 19:00, Thu 2026-12-24 19:00 …
  Where: Room 3A
  Cost: Free
  Seats: 20
  Suits level: Just watch or listen
  [1] Save
  [2] Edit basics
  [3] Repeat & channel
  [4] Seats & cost
  [5] Cancel
Type a number (1–5) to press a button of the latest message.
> 1
✓ Saved as session #1 "Thursday data study group". It will be announced in #general ahead of each date.
> /ippo session edit 7
! There is no session "7" here. /ippo sessions shows the numbers (for example: /ippo session edit 3).
> /ippo session edit 12345678901234567890
! There is no session "12345678901234567890" here. /ippo sessions shows the numbers (for example: /ippo session edit 3).
> /ippo session cancel 1 someday
! I could not read "someday" as a day. For example: 2026-12-10, 12/10 or next thu.
> /ippo session cancel 1 2026-12-11
! Session #1 does not take place on Fri 2026-12-11. /ippo sessions shows its dates.
> /ippo session move 1 2026-12-10 later
! I could not read "later" as a future date and time. For example: 2026-12-12 14:00, next sat 2pm or 来週土曜 14:00.
> /ippo session move 1
! How to use sessions:
/ippo sessions — what is coming up (/ippo sessions 2 for the next ten dates)
/ippo sessions feed — your calendar feed URL
/ippo session add — add a session (organizers)
/ippo session edit 3 — edit session #3
/ippo session cancel 3 [2026-12-10] — cancel session #3 (or just that day)
/ippo session move 3 2026-12-10 "2026-12-11 19:00" — move that day's session
/ippo session lang en — the language of the posts in this channel (organizers)
> /ippo sessions 9
There is no page 9: everything coming up fits on fewer pages. /ippo sessions shows the first.
> /ippo session cancel 1
! Cancel every date of "Thursday data study group"? The channel and the people who answered will be told.
  [1] Cancel the session
  [2] Keep it
Type a number (1–2) to press a button of the latest message.
> 2
Nothing was cancelled.
@ tick 2026-12-03T19:01
→ #general: == Thursday data study group ==
In 7 days.
Going 0 · Watching only 0 · Maybe 0 · Can't 0 (20 seats left)
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Suits level: Just watch or listen
  Cost: Free
  Seats: 20
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> /ippo session cancel 1 2026-12-10
! Cancel "Thursday data study group" on Thu 2026-12-10 19:00 only? The channel and the people who answered will be told.
  [1] Cancel this date
  [2] Keep it
Type a number (1–2) to press a button of the latest message.
> 1
"Thursday data study group" on Thu 2026-12-10 19:00 is cancelled.
> 1
! That session is over or was cancelled. /ippo sessions shows what is coming.
@ tick 2026-12-03T19:03
↻ #general: == ! Thursday data study group ==
The session on Thu 2026-12-10 19:00 is cancelled. Other dates go ahead as planned.
→ #general: == ! Thursday data study group ==
The session on Thu 2026-12-10 19:00 is cancelled. Other dates go ahead as planned.
> /ippo session add
"Session" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Title (For example: In-house study group):
> Year-end talk
Start (For example: 2026-12-12 14:00, next sat 2pm, 来週土曜 14:00):
> 2026-12-18 18:00
Length (For example: 90, 90 min, 1h30) [90]:
> 
Place or URL (For example: Room 3A, or https://meet.example.org/study):
> 
Description (What happens, who it is for. Just listening is welcome.):
> 
== Check before saving ==
"Year-end talk" will be saved like this. Is it right?
ippo posts the announcements in #general.
  When: Fri 2026-12-18 18:00 (Asia/Tokyo)
  Length: 90 minutes
  Dates: Once
  Cost: Free
  Seats: No limit
  [1] Save
  [2] Edit basics
  [3] Repeat & channel
  [4] Seats & cost
  [5] Cancel
Type a number (1–5) to press a button of the latest message.
> 1
✓ Saved as session #2 "Year-end talk". It will be announced in #general ahead of each date.
> /ippo session cancel 2
! Cancel "Year-end talk" on Fri 2026-12-18 18:00? The channel and the people who answered will be told.
  [1] Cancel the session
  [2] Keep it
Type a number (1–2) to press a button of the latest message.
> 1
"Year-end talk" is cancelled.
> /ippo session edit 2
! Session #2 has been cancelled, so it cannot be changed.
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (2):
↻ #general: == ! Thursday data study group ==
The session on Thu 2026-12-10 19:00 is cancelled. Other dates go ahead as planned.
→ #general: == ! Thursday data study group ==
The session on Thu 2026-12-10 19:00 is cancelled. Other dates go ahead as planned.
> /ippo session cancel 1
! Only organizers can add, edit or cancel sessions. If you would like to hold one, please ask an organizer in your workspace.

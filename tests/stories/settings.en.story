# Settings: help, language, timezone by city (and what is refused), the weekly nudge's day and time, a pause, home and privacy (en)
@ at 2026-11-27T12:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo help
== How to use ippo (one step) ==
ippo helps you take small, unforced steps beyond your own desk. Just watching or listening counts as a step.

Steps
/ippo why — choose your reasons for connecting
/ippo step [1-3] — steps that fit you now
/ippo done <what you did> note: <a note> — log what you did, in your own words or by a step's name (the note is optional, and only you can see it)
/ippo journey — your journey so far, by month
/ippo home — your overview: reasons, level, next step, weekly nudge, sessions

Weekly nudge
/ippo nudge — your settings; /ippo nudge on or /ippo nudge off turns it on or off
/ippo nudge when <day> <time> — for example: /ippo nudge when Fri 6pm
/ippo nudge pause <weeks> — for example: /ippo nudge pause 2

Sessions
/ippo sessions — upcoming study groups and meetups (/ippo sessions feed adds them to your calendar)
/ippo session — for organizers: add, edit, cancel or move a session; /ippo session lang ja or en sets the language of a channel's announcements

Coffee introductions
/ippo coffee on — be introduced, every few weeks, to one or two people from other departments (/ippo coffee shows your settings; skip, pause, dept, quiet and off are there too)

Settings and your data
/ippo lang ja|en — language (日本語 or English)
/ippo tz <city or timezone> — for example: /ippo tz Tokyo, /ippo tz America/New_York
/ippo privacy — what ippo stores about you
/ippo forget — delete everything about you
/ippo help — this list
> /ippo lang
ippo speaks English with you. To switch, press a button or type /ippo lang ja (日本語) or /ippo lang en (English).
  [1] 日本語
  [2] English
Type a number (1–2) to press a button of the latest message.
> /ippo tz
Your timezone is Asia/Tokyo (it is 12:00 there now). To change it, type a city or a timezone, for example: /ippo tz Tokyo or /ippo tz America/New_York.
> /ippo tz New York
✓ Timezone set to America/New_York. It is 22:00 there now.
> /ippo tz EST
! "EST" stays the same all year and ignores daylight saving, so for part of the year your messages would come an hour off. Nothing has changed yet. Choose a place instead (America/New_York): press a button, or type /ippo tz America/New_York.
  [1] Use America/New_York
Type 1 to press the button of the latest message.
> 1
✓ Timezone set to America/New_York. It is 22:00 there now.
> /ippo tz Nwe York
! I am not sure which timezone "Nwe York" is. Did you mean America/New_York? Nothing has changed yet: press a button, or type /ippo tz America/New_York.
  [1] Use America/New_York
Type 1 to press the button of the latest message.
> 1
✓ Timezone set to America/New_York. It is 22:00 there now.
> /ippo tz UTC+9
! "UTC+9" stays the same all year and ignores daylight saving, so for part of the year your messages would come an hour off. Nothing has changed yet. Choose a place instead (Asia/Tokyo or Asia/Seoul): press a button, or type /ippo tz Asia/Tokyo.
  [1] Use Asia/Tokyo
  [2] Use Asia/Seoul
Type a number (1–2) to press a button of the latest message.
> /ippo tz JST
✓ Timezone set to Asia/Tokyo. It is 12:00 there now.
> /ippo nudge on
== ✓ Your weekly nudge ==
Weekly nudges are on: one small suggestion a week, which you can skip or stop any time.
Day and time: every Monday at 09:30 (Asia/Tokyo)
Next one: Monday 2026-11-30 at 09:30
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge when Fri 6pm
== ✓ Your weekly nudge ==
Saved your new day and time.
Day and time: every Friday at 18:00 (Asia/Tokyo)
Next one: Friday 2026-11-27 at 18:00
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge when 金曜 18時
== ✓ Your weekly nudge ==
Saved your new day and time.
Day and time: every Friday at 18:00 (Asia/Tokyo)
Next one: Friday 2026-11-27 at 18:00
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge when monday　９：３０
== ✓ Your weekly nudge ==
Saved your new day and time.
Day and time: every Monday at 09:30 (Asia/Tokyo)
Next one: Monday 2026-11-30 at 09:30
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge when
! Say which day and time, for example: /ippo nudge when Fri 6pm. A day alone (/ippo nudge when Monday) or a time alone (/ippo nudge when 9:30) works too.
> /ippo nudge pause
! Say for how many weeks, from 1 to 26 (for example: /ippo nudge pause 2).
> /ippo nudge pause 2 weeks
== Your weekly nudge ==
Taking a break until Friday 2026-12-11. Nothing will come before then; /ippo nudge on picks up again earlier if you like.
Day and time: every Monday at 09:30 (Asia/Tokyo)
Next one: Monday 2026-12-14 at 09:30
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo why 1, 3
✓ Your reasons: Build my skills, Think about my career
Next, try /ippo step for a step that fits them.
> /ippo home
== Your ippo ==
Small steps at your own pace. Just watching or listening counts as a step.
  Your reasons: Build my skills, Think about my career
  Your level: Just watch or listen
Online, free, and no one needs to know you are there. Watching or listening counts as a full step.
  A step you could take next: Watch one evening live stream
Sign up to Online City Hall and play one evening "in-house broadcast", even just as sound in the background.
Online City Hall https://www.online-shiyakusho.jp/ · Free · Online
  Weekly nudge: Every Monday at 09:30
Paused until Friday 2026-12-11
  Upcoming sessions: No sessions planned yet. Organizers add them with /ippo session add.
  [1] Suggest a step
  [2] Choose my reasons
  [3] See my journey
  [4] Upcoming sessions
Type a number (1–4) to press a button of the latest message.
> /ippo privacy
== What ippo stores ==
This is everything ippo keeps about you. Your notes are shown to no one else, and ippo never compares or ranks anyone. To delete it all, use /ippo forget.
  Account: console / console / aki
  Display name: aki
  Settings: language English, timezone Asia/Tokyo, level "Just watch or listen"
  Reasons: Build my skills, Think about my career
  Weekly nudge: On, every Monday at 09:30; paused until Friday 2026-12-11
  Journey: nothing logged yet
  Messages to you: none
  Sessions: none
  Sessions you organize: none
  Unsaved sessions: none
  Calendar feed: none
  Coffee introductions: none
  [1] Delete everything
Type 1 to press the button of the latest message.
> /ippo lang
ippo speaks English with you. To switch, press a button or type /ippo lang ja (日本語) or /ippo lang en (English).
  [1] 日本語
  [2] English
Type a number (1–2) to press a button of the latest message.
> 1
✓ 言語を日本語にしました。

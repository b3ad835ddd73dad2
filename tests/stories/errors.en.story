# Every error a member can meet in help, reasons, language, timezone and the weekly nudge, each with what to type instead (en)
@ at 2026-11-27T12:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo fly
! "fly" is not a command I know. Here is what you can use.

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
> /ippo why 9
! "9" is not a reason number. Choose by number from 1 to 8 (for example: /ippo why 1 3), or press the buttons of /ippo why.
> /ippo why hobby
! "hobby" is not a reason number. Choose by number from 1 to 8 (for example: /ippo why 1 3), or press the buttons of /ippo why.
> /ippo lang
ippo speaks English with you. To switch, press a button or type /ippo lang ja (日本語) or /ippo lang en (English).
  [1] 日本語
  [2] English
Type a number (1–2) to press a button of the latest message.
> /ippo lang fr
! "fr" is not a language ippo speaks. Type /ippo lang ja for Japanese or /ippo lang en for English.
> /ippo tz
Your timezone is Asia/Tokyo (it is 12:00 there now). To change it, type a city or a timezone, for example: /ippo tz Tokyo or /ippo tz America/New_York.
> /ippo tz Mars/Olympus
! "Mars/Olympus" is not a city or timezone I know. Type a city or an IANA timezone name (for example: /ippo tz Tokyo, /ippo tz America/New_York).
> /ippo tz Tokio
! I am not sure which timezone "Tokio" is. Did you mean Asia/Tokyo? Nothing has changed yet: press a button, or type /ippo tz Asia/Tokyo.
  [1] Use Asia/Tokyo
Type 1 to press the button of the latest message.
> /ippo tz PST
! "PST" stays the same all year and ignores daylight saving, so for part of the year your messages would come an hour off. Nothing has changed yet. Choose a place instead (America/Los_Angeles): press a button, or type /ippo tz America/Los_Angeles.
  [1] Use America/Los_Angeles
Type 1 to press the button of the latest message.
> /ippo tz CST
! "CST" stays the same all year and ignores daylight saving, so for part of the year your messages would come an hour off. Nothing has changed yet. Choose a place instead (America/Chicago or Asia/Shanghai): press a button, or type /ippo tz America/Chicago.
  [1] Use America/Chicago
  [2] Use Asia/Shanghai
Type a number (1–2) to press a button of the latest message.
> /ippo tz GMT+13
! "GMT+13" stays the same all year and ignores daylight saving, so for part of the year your messages would come an hour off. Nothing has changed yet. Choose a place instead (Pacific/Auckland): press a button, or type /ippo tz Pacific/Auckland.
  [1] Use Pacific/Auckland
Type 1 to press the button of the latest message.
> /ippo nudge off
Weekly nudges are already off.
> /ippo nudge pause 2
Weekly nudges are off, so there is nothing to pause. /ippo nudge on turns them on.
> /ippo nudge when fri 18:00
✓ Saved: every Friday at 18:00 (Asia/Tokyo). Weekly nudges are off for now; /ippo nudge on turns them on.
> /ippo nudge on
== ✓ Your weekly nudge ==
Weekly nudges are on: one small suggestion a week, which you can skip or stop any time.
Day and time: every Friday at 18:00 (Asia/Tokyo)
Next one: Friday 2026-11-27 at 18:00
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge on
== Your weekly nudge ==
Weekly nudges were already on.
Day and time: every Friday at 18:00 (Asia/Tokyo)
Next one: Friday 2026-11-27 at 18:00
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge sometimes
! "sometimes" is not something /ippo nudge understands. It takes on, off, when <day> <time> or pause <weeks> (for example: /ippo nudge when Fri 6pm, /ippo nudge pause 2). /ippo nudge alone shows your settings.
> /ippo nudge on now
! "on now" is not something /ippo nudge understands. It takes on, off, when <day> <time> or pause <weeks> (for example: /ippo nudge when Fri 6pm, /ippo nudge pause 2). /ippo nudge alone shows your settings.
> /ippo nudge when
! Say which day and time, for example: /ippo nudge when Fri 6pm. A day alone (/ippo nudge when Monday) or a time alone (/ippo nudge when 9:30) works too.
> /ippo nudge when someday
! I could not read "someday" as a day and a time. Try for example: /ippo nudge when Fri 6pm or /ippo nudge when Monday 09:30.
> /ippo nudge when fri sat
! I could not read "fri sat" as a day and a time. Try for example: /ippo nudge when Fri 6pm or /ippo nudge when Monday 09:30.
> /ippo nudge when 25:00
! I could not read "25:00" as a day and a time. Try for example: /ippo nudge when Fri 6pm or /ippo nudge when Monday 09:30.
> /ippo nudge pause
! Say for how many weeks, from 1 to 26 (for example: /ippo nudge pause 2).
> /ippo nudge pause 0
! "0" is not a number of weeks I can pause for. Use a number from 1 to 26 (for example: /ippo nudge pause 2).
> /ippo nudge pause 27
! "27" is not a number of weeks I can pause for. Use a number from 1 to 26 (for example: /ippo nudge pause 2).
> /ippo nudge pause two
! "two" is not a number of weeks I can pause for. Use a number from 1 to 26 (for example: /ippo nudge pause 2).
> /ippo nudge pause -1
! "-1" is not a number of weeks I can pause for. Use a number from 1 to 26 (for example: /ippo nudge pause 2).

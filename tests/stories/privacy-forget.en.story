# Privacy and forget: everything ippo keeps about a member, "Keep it", then all of it deleted (en)
@ at 2026-11-27T12:00
@ as org en
Hello, org. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo session add
"Session" — please fill in. Enter keeps what is in [brackets] or skips an optional field; - empties it; cancel (or any /ippo command) leaves without saving.
Title (For example: In-house study group):
> Thursday evening study group
Start (For example: 2026-12-12 14:00, next sat 2pm, 来週土曜 14:00):
> 2026-12-10 19:00
Length (For example: 90, 90 min, 1h30) [90]:
> 
Place or URL (For example: Room 3A, or https://meet.example.org/study):
> Room 3A
Description (What happens, who it is for. Just listening is welcome.):
> 
== Check before saving ==
"Thursday evening study group" will be saved like this. Is it right?
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
> 1
✓ Saved as session #1 "Thursday evening study group". It will be announced in #general ahead of each date.
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo sessions
== Coming up ==
#1  Thu 2026-12-10 19:00  Thursday evening study group

Just watching counts too. /ippo sessions feed puts them in your calendar.
  (Choose a session to answer)
  (1) Thu 2026-12-10 19:00 Thursday evening study group
Type 1 to press the button of the latest message.
> 1
== Thursday evening study group ==
In 13 days.
  When: Thu 2026-12-10 19:00–20:30 (Asia/Tokyo)
  Where: Room 3A
  Cost: Free
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> 1
✓ Your answer for "Thursday evening study group": going. You can change it any time.
  [1] Going
  [2] Watching only
  [3] Maybe
  [4] Can't make it
Type a number (1–4) to press a button of the latest message.
> /ippo why 1 3
✓ Your reasons: Build my skills, Think about my career
Next, try /ippo step for a step that fits them.
> /ippo done Read the staff development plan note: one trait stood out
✓ Logged: Read your staff development plan. That was a step.
Your note is visible to you alone.
  [1] See my journey
Type 1 to press the button of the latest message.
> /ippo nudge on
== ✓ Your weekly nudge ==
Weekly nudges are on: one small suggestion a week, which you can skip or stop any time.
Day and time: every Monday at 09:30 (Asia/Tokyo)
Next one: Monday 2026-11-30 at 09:30
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo sessions feed
Your personal calendar feed (keep it to yourself): https://ippo.example.org/ics/<feed-1>.ics
Add it in your calendar app as a subscription by URL. If the address got out, /ippo sessions feed new gives you a new one and turns this one off.
@ tick 2026-11-30T09:31
→ @aki: == One small thing for this week ==
Hello. Here is one small thing you could try this week, if it suits you:

Listen in on a free webinar
Find one free online study session for public servants and listen with your camera and microphone off.
Even as a silent listener you can pick up ideas and tools for your work. Leaving halfway is fine.

No pressure at all: "Not this week" is always fine, and "Stop these" ends these messages.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try it
  [2] Another one
  [3] Not this week
  [4] Stop these
Type a number (1–4) to press a button of the latest message.
> /ippo privacy
== What ippo stores ==
This is everything ippo keeps about you. Your notes are shown to no one else, and ippo never compares or ranks anyone. To delete it all, use /ippo forget.
  Account: console / console / aki
  Display name: aki
  Settings: language English, timezone Asia/Tokyo, level "Just watch or listen"
  Reasons: Build my skills, Think about my career
  Weekly nudge: On, every Monday at 09:30
  Journey: 1 entry (1 done, 1 note)
Also kept, so suggestions vary: 1 record of a step suggested to you or passed over (not listed on your journey).
  Messages to you: 1 planned or sent
  Sessions: 1 answer
  Sessions you organize: none
  Unsaved sessions: none
  Calendar feed: a personal address exists (/ippo sessions feed new replaces it)
  Coffee introductions: none
  [1] Delete everything
Type 1 to press the button of the latest message.
> /ippo forget
== ! Delete your data ==
This deletes everything ippo keeps about you: your reasons, your journey and its notes, your weekly nudge, the messages to you, your answers to sessions and your calendar feed. It cannot be undone. Delete it all?
  [1] Delete
  [2] Keep it
Type a number (1–2) to press a button of the latest message.
> 2
Nothing was deleted. Everything stays as it was.
> /ippo forget
== ! Delete your data ==
This deletes everything ippo keeps about you: your reasons, your journey and its notes, your weekly nudge, the messages to you, your answers to sessions and your calendar feed. It cannot be undone. Delete it all?
  [1] Delete
  [2] Keep it
Type a number (1–2) to press a button of the latest message.
> 1
✓ Everything is deleted. If you would like to start again, /ippo help is there any time.
> /ippo privacy
== What ippo stores ==
ippo keeps only your account, name and settings, which it needs to talk with you. To delete these too, use /ippo forget.
  Account: console / console / aki
  Display name: aki
  Settings: language English, timezone Asia/Tokyo, level "Just watch or listen"
  Reasons: none
  Weekly nudge: Off
  Journey: nothing logged yet
  Messages to you: none
  Sessions: none
  Sessions you organize: none
  Unsaved sessions: none
  Calendar feed: none
  Coffee introductions: none
  [1] Delete everything
Type 1 to press the button of the latest message.
> /ippo journey
== Your journey ==
Nothing logged yet. Just watching or listening counts as a step. /ippo step is a good place to start.

Your level now: Just watch or listen
  [1] Suggest a step
Type 1 to press the button of the latest message.
@ as org en
Hello, org. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo privacy
== What ippo stores ==
This is everything ippo keeps about you. Your notes are shown to no one else, and ippo never compares or ranks anyone. To delete it all, use /ippo forget.
  Account: console / console / org
  Display name: org
  Settings: language English, timezone Asia/Tokyo, level "Just watch or listen"
  Reasons: none
  Weekly nudge: Off
  Journey: nothing logged yet
  Messages to you: none
  Sessions: none
  Sessions you organize: Thursday evening study group (if you delete your data, these sessions stay for the people taking part; only the record that you organize them is deleted)
  Unsaved sessions: none
  Calendar feed: none
  Coffee introductions: none
  [1] Delete everything
Type 1 to press the button of the latest message.
> /ippo forget
== ! Delete your data ==
This deletes everything ippo keeps about you: your reasons, your journey and its notes, your weekly nudge, the messages to you, your answers to sessions and your calendar feed. It cannot be undone. Delete it all?
The sessions you organize stay for the people taking part; only the record that you organize them is deleted.
  [1] Delete
  [2] Keep it
Type a number (1–2) to press a button of the latest message.
> 2
Nothing was deleted. Everything stays as it was.

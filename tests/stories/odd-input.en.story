# Odd input: numbers written every way, and a calendar address replaced (en)
@ at 2026-11-27T12:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo step ²
== A step you could take this week ==
Tip: pick your reasons with /ippo why and the suggestions will fit you better.

Read a local business's posts
Pick one blog, social-media feed or interview from a local company or shop and read it.
How business people see the town is hard to notice from inside the office. Even one read can bring a new angle.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
== A step you could take this week ==
Skim the reform plan
Open your organisation's reform plan and find one passage about working with others or working more efficiently.
If no reason comes from inside, borrowing one from the organisation is fine. Many reform plans ask for cooperation with residents and diverse partners, leaner work and a stronger organisation.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [5] I'll try this
  [6] Another one
  [7] Too much — an easier one
  [8] Done it
Type a number (1–8) to press a button of the latest message.
> /ippo step ３
== A step you could take this week ==
Tip: pick your reasons with /ippo why and the suggestions will fit you better.

Watch one evening live stream
Sign up to Online City Hall and play one evening "in-house broadcast", even just as sound in the background.
Each night, public servants from around Japan talk about their work, their tricks and their worries. Just watching slowly shows you how other towns do things. No camera and no speaking needed.
  Where: Online City Hall https://www.online-shiyakusho.jp/
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
== A step you could take this week ==
Read your staff development plan
Open your organisation's staff development plan and pick the one trait of its ideal staff that speaks to you most.
Knowing what your organisation hopes its staff will become makes it easier to find your own reason to step outside. The trait you pick becomes a signpost for later steps. Reading is enough.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [5] I'll try this
  [6] Another one
  [7] Too much — an easier one
  [8] Done it
== A step you could take this week ==
Follow MIRAI-HUB's page
Like MIRAI-HUB's Facebook page so the notice for the next meeting reaches you.
The posts that come by show what public servants in nearby towns are learning together. Whether to go is a decision for later.
  Where: MIRAI-HUB
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [9] I'll try this
  [10] Another one
  [11] Too much — an easier one
  [12] Done it
Type a number (1–12) to press a button of the latest message.
> /ippo journey delete ①
! Your journey has no entries yet, so there is nothing to delete.
> /ippo journey delete 99999999999999999999
! Your journey has no entries yet, so there is nothing to delete.
> /ippo nudge pause ２週間
Weekly nudges are off, so there is nothing to pause. /ippo nudge on turns them on.
> /ippo nudge on
== ✓ Your weekly nudge ==
Weekly nudges are on: one small suggestion a week, which you can skip or stop any time.
Day and time: every Monday at 09:30 (Asia/Tokyo)
Next one: Monday 2026-11-30 at 09:30
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge pause 2週間
== Your weekly nudge ==
Taking a break until Friday 2026-12-11. Nothing will come before then; /ippo nudge on picks up again earlier if you like.
Day and time: every Monday at 09:30 (Asia/Tokyo)
Next one: Monday 2026-12-14 at 09:30
On public holidays and from 29 December to 3 January, the message moves to the next working day.
  [1] Turn off
Type 1 to press the button of the latest message.
> /ippo nudge pause -1
! "-1" is not a number of weeks I can pause for. Use a number from 1 to 26 (for example: /ippo nudge pause 2).
> /ippo sessions feed
Your personal calendar feed (keep it to yourself): https://ippo.example.org/ics/<feed-1>.ics
Add it in your calendar app as a subscription by URL. If the address got out, /ippo sessions feed new gives you a new one and turns this one off.
> /ippo sessions feed new
✓ Here is your new calendar feed address: https://ippo.example.org/ics/<feed-2>.ics
The old address no longer works. Replace the subscription in your calendar app with this one.
> /ippo sessions feed sideways
! "sideways" is not something the feed command knows. Type /ippo sessions feed to see your address, or /ippo sessions feed new to replace it.
> /ippo privacy
== What ippo stores ==
This is everything ippo keeps about you. Your notes are shown to no one else, and ippo never compares or ranks anyone. To delete it all, use /ippo forget.
  Account: console / console / aki
  Display name: aki
  Settings: language English, timezone Asia/Tokyo, level "Just watch or listen"
  Reasons: none
  Weekly nudge: On, every Monday at 09:30; paused until Friday 2026-12-11
  Journey: nothing logged yet
Also kept, so suggestions vary: 5 records of steps suggested to you or passed over (not listed on your journey).
  Messages to you: none
  Sessions: none
  Sessions you organize: none
  Unsaved sessions: none
  Calendar feed: a personal address exists (/ippo sessions feed new replaces it)
  Coffee introductions: none
  [1] Delete everything
Type 1 to press the button of the latest message.

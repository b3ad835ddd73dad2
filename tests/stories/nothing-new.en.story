# After every "Just watch or listen" step is done: nothing new there, yet buttons lead to another level or an earlier step (en)
@ at 2026-11-24T10:00
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo done Read your staff development plan
✓ Logged: Read your staff development plan. That was a step.
  [1] See my journey
Type 1 to press the button of the latest message.
> /ippo done Skim the reform plan
✓ Logged: Skim the reform plan. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo done Jot down one reason
✓ Logged: Jot down one reason. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo done Watch one evening live stream
✓ Logged: Watch one evening live stream. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo done Browse the sub-groups
✓ Logged: Browse the sub-groups. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo done Follow MIRAI-HUB's page
✓ Logged: Follow MIRAI-HUB's page. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo done Read one resident's comment
✓ Logged: Read one resident's comment. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo done Read a local business's posts
✓ Logged: Read a local business's posts. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
> /ippo done Listen in on a free webinar
✓ Logged: Listen in on a free webinar. That was a step.
You could move on to "Close by" if you feel like it. Staying where you are is fine too.
  [1] Move up a level
  [2] See my journey
Type a number (1–2) to press a button of the latest message.
@ at 2026-11-27T12:00
> /ippo step
There is nothing new to suggest at "Just watch or listen" just now. Resting is fine too. If you like, look here:
  [1] Look in "Close by"
  [2] Take an earlier step again
Type a number (1–2) to press a button of the latest message.
> 2
== A step you could take this week ==
Taking a step again is a step too. This is the one you did longest ago.

Read your staff development plan
Open your organisation's staff development plan and pick the one trait of its ideal staff that speaks to you most.
Knowing what your organisation hopes its staff will become makes it easier to find your own reason to step outside. The trait you pick becomes a signpost for later steps. Reading is enough.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.
> 2
== A step you could take this week ==
Skim the reform plan
Open your organisation's reform plan and find one passage about working with others or working more efficiently.
If no reason comes from inside, borrowing one from the organisation is fine. Many reform plans ask for cooperation with residents and diverse partners, leaner work and a stronger organisation.
  Cost: Free
  Format: Online
  Level: Just watch or listen
  [1] I'll try this
  [2] Another one
  [3] Too much — an easier one
  [4] Done it
Type a number (1–4) to press a button of the latest message.

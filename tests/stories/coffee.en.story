# Coffee introductions: two members from different departments (en)
@ at 2026-11-27T09:00
@ as ben en
Hello, ben. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo coffee on
== Coffee introductions ==
You're signed up. Each round you'll get a short introduction to one or two people, with buttons to say whether you'd like to meet.
Next round: Tuesday 2026-12-01.
Department: not set (/ippo coffee dept <name> helps ippo introduce you to other departments).
> /ippo coffee dept Finance
✓ Department saved: Finance. ippo will introduce you to people from other departments when it can.
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo coffee
== Coffee introductions ==
You're not signed up for coffee introductions. /ippo coffee on signs you up; you can stop any time.
Every 2 weeks or so, ippo introduces you to one or two people from other parts of the organisation, for a 15-minute chat or just a hello. Nothing is expected of you.
> /ippo coffee on
== Coffee introductions ==
You're signed up. Each round you'll get a short introduction to one or two people, with buttons to say whether you'd like to meet.
Next round: Tuesday 2026-12-01.
Department: not set (/ippo coffee dept <name> helps ippo introduce you to other departments).
> /ippo coffee dept Parks and Gardens
✓ Department saved: Parks and Gardens. ippo will introduce you to people from other departments when it can.
> /ippo coffee pause lots
! "lots" isn't a number of weeks from 1 to 26. For example: /ippo coffee pause 2
> /ippo coffee status
== Coffee introductions ==
You're signed up for coffee introductions.
Next round: Tuesday 2026-12-01.
Department: Parks and Gardens
@ tick 2026-12-01T10:01+09:00
→ @ben, @aki: == Coffee introduction ==
Hello! This round, ippo introduces you to each other: ben, aki.
How about a 15-minute chat, or just saying hello? Whatever suits you is fine, and saying no is fine too.

Only the people named here see this.
  [1] Let's meet
  [2] Not this time
Type a number (1–2) to press a button of the latest message.
> 1
✓ Lovely. I'll ask you in about a week, on Tuesday 2026-12-08, whether you met. Nothing else will follow.
@ tick 2026-12-08T10:01+09:00
→ @aki: == Did you meet? ==
A week ago you were introduced to ben. Did you get to meet or say hello?
  [1] Yes
  [2] Not yet
  [3] Skip
Type a number (1–3) to press a button of the latest message.
> 1
✓ Wonderful. I've added it to your journey as a step close by. (/ippo journey)
@ as ben en
Hello, ben. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
New since you were last here (1):
→ @ben, @aki: == Coffee introduction ==
Hello! This round, ippo introduces you to each other: ben, aki.
How about a 15-minute chat, or just saying hello? Whatever suits you is fine, and saying no is fine too.

Only the people named here see this.
  [1] Let's meet
  [2] Not this time
Type a number (1–2) to press a button of the latest message.
> 2
No problem. Thanks for letting me know.

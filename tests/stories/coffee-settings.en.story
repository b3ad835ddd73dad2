# Coffee settings: skip, quiet, avoid, the channel, off (en)
@ at 2026-11-27T09:00
@ as ben en
Hello, ben. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo coffee on
== Coffee introductions ==
You're signed up. Each round you'll get a short introduction to one or two people, with buttons to say whether you'd like to meet.
Next round: Tuesday 2026-12-01.
Department: not set (/ippo coffee dept <name> helps ippo introduce you to other departments).
@ as aki en
Hello, aki. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo coffee on
== Coffee introductions ==
You're signed up. Each round you'll get a short introduction to one or two people, with buttons to say whether you'd like to meet.
Next round: Tuesday 2026-12-01.
Department: not set (/ippo coffee dept <name> helps ippo introduce you to other departments).
> /ippo coffee skip
✓ You'll skip the round of Tuesday 2026-12-01. The next one after that is Tuesday 2026-12-15.
> /ippo coffee quiet on
✓ You'll join as a quiet third: always alongside someone who talks, and you're welcome just to listen.
> /ippo coffee quiet maybe
! Say on or off. For example: /ippo coffee quiet on
> /ippo coffee avoid
== Coffee introductions ==
Your list is empty: you may be introduced to anyone who signed up. To leave someone out, mention them: /ippo coffee avoid @name. Nobody is told.
> /ippo coffee avoid @ben
Noted. You won't be introduced to them. Nobody else is told, and only you can see this list (/ippo privacy).
> /ippo coffee avoid
== Coffee introductions ==
You asked not to be introduced to 1 person: @ben. Only you can see this. /ippo coffee unavoid @name takes them off.
> /ippo coffee unavoid @ben
Done: @ben is off your list, so you may be introduced to them again. Nobody is told.
> /ippo coffee channel #coffee
! Only organizers can choose the coffee channel.
> /ippo coffee dance
! I didn't catch "dance". Try for example: /ippo coffee on, /ippo coffee skip, /ippo coffee pause 2, /ippo coffee dept Finance, /ippo coffee quiet on, or /ippo coffee status.
> /ippo coffee off
✓ You've stopped coffee introductions. Nothing more will come; /ippo coffee on whenever you like.
> /ippo coffee
== Coffee introductions ==
You're not signed up for coffee introductions. /ippo coffee on signs you up; you can stop any time.
Every 2 weeks or so, ippo introduces you to one or two people from other parts of the organisation, for a 15-minute chat or just a hello. Nothing is expected of you.
@ as org en
Hello, org. I am ippo (one step). Let's find a step that feels easy. Type /ippo help for help; Ctrl-D quits.
> /ippo coffee channel
! Which channel? For example: /ippo coffee channel #coffee
> /ippo coffee channel #coffee
✓ Private intro threads will be made in <#coffee>.

# コーヒーチャットの設定: skip、quiet、avoid、チャンネル、off (ja)
@ at 2026-11-27T09:00
@ as ben ja
こんにちは、ben さん。ippo（一歩）です。無理のない一歩を一緒に探しましょう。/ippo help で使い方を表示します。終了は Ctrl-D です。
> /ippo coffee on
== コーヒーチャット ==
参加を受け付けました。毎回、一人か二人の方を短くご紹介し、会ってみたいかどうかをボタンで答えられます。
次の回：2026年12月1日（火）
部署：未設定（/ippo coffee dept <部署名> で、ほかの部署の方を紹介しやすくなります）
@ as aki ja
こんにちは、aki さん。ippo（一歩）です。無理のない一歩を一緒に探しましょう。/ippo help で使い方を表示します。終了は Ctrl-D です。
> /ippo coffee on
== コーヒーチャット ==
参加を受け付けました。毎回、一人か二人の方を短くご紹介し、会ってみたいかどうかをボタンで答えられます。
次の回：2026年12月1日（火）
部署：未設定（/ippo coffee dept <部署名> で、ほかの部署の方を紹介しやすくなります）
> /ippo coffee skip
✓ 2026年12月1日（火）の回はお休みにしました。その次は2026年12月15日（火）です。
> /ippo coffee quiet on
✓ 聞くだけの三人目として参加します。いつも話す人と同じ組になるので、聞いているだけで大丈夫です。
> /ippo coffee quiet maybe
! on か off で答えてください。たとえば /ippo coffee quiet on のように入力します。
> /ippo coffee avoid
== コーヒーチャット ==
一覧は空です。参加しているどなたでもご紹介することがあります。紹介してほしくない方がいれば、/ippo coffee avoid @名前 のようにメンションしてください。誰にも伝わりません。
> /ippo coffee avoid @ben
承知しました。その方をご紹介することはありません。ほかの誰にも伝わらず、この一覧はあなたにだけ見えます（/ippo privacy）。
> /ippo coffee avoid
== コーヒーチャット ==
紹介しないでほしい方（1人）：@ben。あなたにだけ見えています。/ippo coffee unavoid @名前 で一覧から外せます。
> /ippo coffee unavoid @ben
@ben さんを一覧から外しました。またご紹介することがあります。誰にも伝わりません。
> /ippo coffee channel #coffee
! コーヒーのチャンネルを選べるのはオーガナイザーだけです。
> /ippo coffee dance
! 「dance」がうまく読み取れませんでした。たとえば /ippo coffee on、/ippo coffee skip、/ippo coffee pause 2、/ippo coffee dept 財政課、/ippo coffee quiet on、/ippo coffee status のように入力してください。
> /ippo coffee off
✓ コーヒーチャットを停止しました。これ以上は届きません。また参加したくなったら /ippo coffee on でどうぞ。
> /ippo coffee
== コーヒーチャット ==
コーヒーチャットには参加していません。/ippo coffee on で参加でき、いつでもやめられます。
2週間に一度ほど、ほかの部署の方を一人か二人ご紹介します。15分のおしゃべりでも、あいさつだけでもかまいません。何かをしなければならないことはありません。
@ as org ja
こんにちは、org さん。ippo（一歩）です。無理のない一歩を一緒に探しましょう。/ippo help で使い方を表示します。終了は Ctrl-D です。
> /ippo coffee channel
! どのチャンネルですか？ たとえば /ippo coffee channel #coffee のように入力してください。
> /ippo coffee channel #coffee
✓ 紹介用の非公開スレッドは <#coffee> に作ります。

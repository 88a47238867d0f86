//! The workspace pages (components rendered on the server; the islands and server functions
//! they use are in `mod.rs`).

use super::*;

#[component]
pub fn AgentInquiryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let use_template = move || query.read().get("use").and_then(|s| s.parse::<i64>().ok());
    let take = ServerAction::<TakeInquiry>::new();
    let reply = ServerAction::<AgentReply>::new();
    let note = ServerAction::<AgentNote>::new();
    let status = ServerAction::<AgentSetStatus>::new();
    let retype = ServerAction::<AgentRetype>::new();
    let voc = ServerAction::<AgentSetVoc>::new();
    let transfer = ServerAction::<AgentTransfer>::new();
    let propose = ServerAction::<ProposeFaq>::new();
    let data = Resource::new(
        move || (id(), use_template(), i18n.locale.get()),
        |(id, t, locale)| get_workspace(id, t, locale),
    );
    let result = Signal::derive(move || {
        reply
            .value()
            .get()
            .or_else(|| note.value().get())
            .or_else(|| status.value().get())
            .or_else(|| retype.value().get())
            .or_else(|| voc.value().get())
            .or_else(|| transfer.value().get())
            .or_else(|| take.value().get())
            .or_else(|| propose.value().get())
    });
    let proposed = move || matches!(propose.value().get(), Some(Ok(()))) || query.read().get("proposed").is_some();
    view! {
        <Guarded area=Some(Area::Agent)>
            <FormAlert value=result />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(w) => {
                            let q = w.inquiry;
                            let customer_name = q.customer.name.clone();
                            let left = crate::domain::queue::time_left(q.sla_due_at, w.now);
                            let (prefill_id, prefill_text) = w.prefill.map(|(i, a)| (i.to_string(), a)).unwrap_or_default();
                            let last_reply = q.messages.iter().rev().find(|m| m.author_kind == "agent" && !m.internal).map(|m| m.body.clone());
                            let subject = q.subject.clone();
                            view! {
                                <section class="page-head">
                                    <p><a href="/agent">{t.back_to_queue()}</a></p>
                                    <h1>{q.subject.clone()}</h1>
                                    <p class="lead">
                                        <span class=format!("badge status-{}", q.status)>{t.inquiry_status(q.status)}</span>
                                        " " {q.type_name.clone()} " · " {q.group_name.clone()} " · " {format_datetime(q.created_at)}
                                        " · " <span class:warn={left < 0}>{t.sla_due()} ": " {t.time_left(left / 60_000)}</span>
                                        {q.escalated.then(|| view! { " " <span class="badge">{t.escalated_badge()}</span> })}
                                        {q.order_no.clone().map(|no| view! { " · " {t.order_title(&no)} })}
                                    </p>
                                    <p>
                                        {match q.assigned_name.clone() {
                                            Some(n) => view! { <span>{t.assigned_to()} ": " {n}</span> }.into_any(),
                                            None => view! { <span>{t.unassigned()}</span> }.into_any(),
                                        }}
                                        {(!q.assigned_to_me).then(|| view! {
                                            " "
                                            <ActionForm action=take attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <button type="submit">{t.take_this()}</button>
                                            </ActionForm>
                                        })}
                                    </p>
                                </section>
                                <ThreadWatcher id=q.id version=w.version.clone() />
                                <div class="workspace">
                                    <div class="workspace-main">
                                        <section class="card" aria-labelledby="thread-title">
                                            <h2 id="thread-title">{t.thread()}</h2>
                                            <ol class="thread">
                                                {q.messages.into_iter().map(|m| {
                                                    // the customer by name: "You" is the customer's own view of the thread
                                                    let who = match m.author_kind.as_str() {
                                                        "customer" => customer_name.clone(),
                                                        "agent" => m.author_name.clone().unwrap_or_else(|| t.author_agent().to_string()),
                                                        "bot" => t.author_bot().to_string(),
                                                        _ => t.author_system().to_string(),
                                                    };
                                                    let body = if m.author_kind == "system" { t.agent_system_event(&m.body) } else { m.body };
                                                    view! {
                                                        <li class=format!("msg msg-{}", m.author_kind) class:internal=m.internal>
                                                            <p class="msg-head">
                                                                <strong>{who}</strong> " " <time>{format_datetime(m.at)}</time>
                                                                {m.internal.then(|| view! { " " <span class="badge internal">{t.internal_note()}</span> })}
                                                            </p>
                                                            {if m.author_kind == "bot" {
                                                                // the bot's words are an FAQ answer: its simple formatting is rendered (safely)
                                                                view! { <div class="msg-body rich"><crate::ui::RichText text=body /></div> }.into_any()
                                                            } else {
                                                                view! { <p class="msg-body">{body}</p> }.into_any()
                                                            }}
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ol>
                                        </section>
                                        <section class="card" aria-labelledby="suggest-title">
                                            <h2 id="suggest-title">{t.faq_suggestions()}</h2>
                                            {if q.suggestions.is_empty() {
                                                view! { <p>{t.no_suggestions()}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <ol class="suggestions">
                                                        {q.suggestions.into_iter().map(|s| view! {
                                                            <li>
                                                                <p>
                                                                    <strong>{s.question}</strong> " "
                                                                    <span class="badge">{t.confidence(s.confidence)}</span>
                                                                </p>
                                                                <p class="hint">{s.answer}</p>
                                                                <a class="button" href=format!("/agent/inquiries/{}?use={}#reply", q.id, s.template_id)>{t.use_answer()}</a>
                                                            </li>
                                                        }).collect_view()}
                                                    </ol>
                                                }.into_any()
                                            }}
                                        </section>
                                        <section class="card" id="reply" aria-labelledby="reply-title">
                                            <h2 id="reply-title">{t.reply_to_customer()}</h2>
                                            <ActionForm action=reply>
                                                <input type="hidden" name="id" value=q.id />
                                                <input type="hidden" name="template_id" value=prefill_id />
                                                <div class="field">
                                                    <label for="field-agent-reply">{t.reply_label()}</label>
                                                    <textarea id="field-agent-reply" name="body" rows="6">{prefill_text}</textarea>
                                                </div>
                                                <div class="field">
                                                    <label for="field-next-status">{t.status_after_reply()}</label>
                                                    <select id="field-next-status" name="next_status">
                                                        {AGENT_STATUSES.iter().map(|s| view! {
                                                            <option value=s.as_str() selected=*s == crate::model::InquiryStatus::WaitingCustomer>{t.inquiry_status(*s)}</option>
                                                        }).collect_view()}
                                                    </select>
                                                </div>
                                                <button type="submit" class="primary">{t.send()}</button>
                                            </ActionForm>
                                        </section>
                                        <section class="card" aria-labelledby="note-title">
                                            <h2 id="note-title">{t.internal_note()}</h2>
                                            <p class="hint">{t.internal_note_hint()}</p>
                                            <ActionForm action=note>
                                                <input type="hidden" name="id" value=q.id />
                                                <div class="field">
                                                    <label for="field-note">{t.note_label()}</label>
                                                    <textarea id="field-note" name="body" rows="3"></textarea>
                                                </div>
                                                <button type="submit">{t.add_note()}</button>
                                            </ActionForm>
                                        </section>
                                        {last_reply.map(|answer| view! {
                                            <section class="card" aria-labelledby="propose-title">
                                                <h2 id="propose-title">{t.propose_faq()}</h2>
                                                <p class="hint">{t.propose_faq_hint()}</p>
                                                {move || proposed().then(|| view! { <p role="status">{i18n.t().proposal_sent()}</p> })}
                                                <ActionForm action=propose>
                                                    <input type="hidden" name="id" value=q.id />
                                                    <div class="field">
                                                        <label for="field-propose-question">{t.question()}</label>
                                                        <input id="field-propose-question" type="text" name="question" value=subject />
                                                    </div>
                                                    <div class="field">
                                                        <label for="field-propose-answer">{t.answer()}</label>
                                                        <textarea id="field-propose-answer" name="answer" rows="4">{answer}</textarea>
                                                    </div>
                                                    <button type="submit">{t.propose_faq()}</button>
                                                </ActionForm>
                                            </section>
                                        })}
                                        <section class="card actions-grid" aria-labelledby="manage-title">
                                            <h2 id="manage-title">{t.manage_inquiry()}</h2>
                                            <ActionForm action=status attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-status">{t.status()}</label>
                                                <select id="field-status" name="status">
                                                    {AGENT_STATUSES.iter().map(|s| view! {
                                                        <option value=s.as_str() selected=*s == q.status>{t.inquiry_status(*s)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit">{t.save()}</button>
                                            </ActionForm>
                                            <ActionForm action=retype attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-retype">{t.inquiry_type()}</label>
                                                <select id="field-retype" name="type_code">
                                                    {q.types.into_iter().map(|o| {
                                                        let sel = o.code == q.type_code;
                                                        view! { <option value=o.code selected=sel>{o.name}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit">{t.retype()}</button>
                                            </ActionForm>
                                            <ActionForm action=voc attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-voc">{t.voc_label()}</label>
                                                <select id="field-voc" name="voc">
                                                    <option value="" selected=q.voc.is_none()>{t.voc_none()}</option>
                                                    {crate::model::VocCategory::ALL.into_iter().map(|c| {
                                                        let sel = q.voc == Some(c);
                                                        view! { <option value=c.as_str() selected=sel>{t.voc_name(c)}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit">{t.save()}</button>
                                            </ActionForm>
                                            <ActionForm action=transfer attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-transfer">{t.queue_group()}</label>
                                                <select id="field-transfer" name="group_code">
                                                    {q.groups.into_iter().map(|g| {
                                                        let sel = g.code == q.group_code;
                                                        view! { <option value=g.code selected=sel>{g.name}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <label for="field-transfer-note">{t.transfer_note()}</label>
                                                <input id="field-transfer-note" type="text" name="note" />
                                                <button type="submit">{t.transfer()}</button>
                                            </ActionForm>
                                        </section>
                                    </div>
                                    <CustomerPanel c=q.customer />
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

/// The 360° view of the customer: who they are, how to reach them, what they bought, and every
/// contact so far.
#[component]
pub(crate) fn CustomerPanel(c: Customer360) -> impl IntoView {
    let t = use_i18n().t();
    let yes_no = move |b: bool| if b { t.consent_yes() } else { t.consent_no() };
    view! {
        <aside class="card customer-360" aria-labelledby="c360-title">
            <h2 id="c360-title">{t.customer_360()}</h2>
            <p><strong>{c.name.clone()}</strong> " " <span class=format!("badge grade-{}", c.grade)>{t.grade_name(c.grade)}</span></p>
            {c.watch_flag.then(|| view! {
                <p class="warn" role="note">{t.watch_flag()} {c.watch_reason.clone().map(|r| format!(": {r}"))}</p>
            })}
            <dl class="facts">
                <dt>{t.customer_no()}</dt><dd>{c.customer_no.clone()}</dd>
                <dt>{t.email()}</dt><dd>{c.email.clone()}</dd>
                <dt>{t.phone()}</dt><dd>{c.phone.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{t.email_consent()}</dt><dd>{yes_no(c.email_consent)}</dd>
                <dt>{t.sms_consent()}</dt><dd>{yes_no(c.sms_consent)}</dd>
                <dt>{t.language()}</dt><dd>{c.locale.clone()}</dd>
            </dl>
            <h3>{t.recent_orders()}</h3>
            {if c.orders.is_empty() {
                view! { <p>{t.no_orders()}</p> }.into_any()
            } else {
                view! {
                    <ul class="item-list orders-360">
                        {c.orders.into_iter().map(|o| view! {
                            <li>
                                <strong>{o.order_no.clone()}</strong> " "
                                <span class=format!("badge status-{}", o.status)>{t.order_status(o.status)}</span>
                                <span class="meta">{format_date(o.placed_at)} " · " {t.won(o.total_won)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>{t.contact_history()}</h3>
            <ul class="item-list contacts-360">
                {c.contacts.into_iter().map(|h| {
                    let link = matches!(h.kind.as_str(), "inquiry" | "message" | "note")
                        .then(|| format!("/agent/inquiries/{}", h.ref_id));
                    let title = if h.kind == "chat" { t.chat_transcript_title(h.ref_id) } else { h.title.clone() };
                    let detail = if h.kind == "note" { h.detail.clone() } else { String::new() };
                    view! {
                        <li class=format!("kind-{}", h.kind)>
                            <span class="badge">{t.agent_history_kind(&h.kind)}</span> " "
                            {match link {
                                Some(l) => view! { <a href=l>{title}</a> }.into_any(),
                                None => view! { <span>{title}</span> }.into_any(),
                            }}
                            {(!detail.is_empty()).then(|| view! { <span class="hint">" — " {detail}</span> })}
                            <span class="meta">{format_datetime(h.at)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a href=format!("/agent/customers?q={}", encode_query_value(&c.customer_no))>{t.customer_search()}</a></p>
        </aside>
    }
}

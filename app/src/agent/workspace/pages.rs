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
    let reuse = move || query.read().get("reuse").and_then(|s| s.parse::<i64>().ok());
    // the forms post the plain HTML way; a failed post comes back with its error for these
    let take = ServerAction::<TakeInquiry>::new();
    let send = ServerAction::<AgentSend>::new();
    let compose = crate::ui::posted_error(crate::model::attachment::forms::AGENT_COMPOSE);
    let update = ServerAction::<AgentUpdate>::new();
    let propose = ServerAction::<ProposeFaq>::new();
    let data = Resource::new(
        move || (id(), use_template(), reuse(), i18n.locale.get()),
        |(id, t, r, locale)| get_workspace(id, t, r, locale),
    );
    let result = Signal::derive(move || {
        send.value()
            .get()
            .or_else(|| compose.get().map(|r| r.map(|_| ())))
            .or_else(|| update.value().get())
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
                            let left = crate::domain::queue::time_left(q.sla_due_at, w.now);
                            let last_reply = q.messages.iter().rev().find(|m| m.author_kind == "agent" && !m.internal).map(|m| m.body.clone());
                            view! {
                                <section class="page-head ws-head">
                                    <p class="ws-back"><a href="/agent">{t.back_to_queue()}</a></p>
                                    <h1>{q.subject.clone()}</h1>
                                    <div class="ws-meta">
                                    <p class="lead">
                                        <span class=format!("badge status-{}", q.status)>{t.inquiry_status(q.status)}</span>
                                        " " {q.type_name.clone()} " · " {q.group_name.clone()} " · " {format_datetime(q.created_at)}
                                        " · " <span class:warn={left < 0 && q.first_response_at.is_none()}>{sla_text(t, left, q.first_response_at.is_some())}</span>
                                        {q.escalated.then(|| view! { " " <span class="badge">{t.escalated_badge()}</span> })}
                                        {q.order_no.clone().map(|no| view! { " · " {t.order_title(&no)} })}
                                        " · "
                                        {match q.assigned_name.clone() {
                                            Some(n) => view! { <span>{t.assigned_to()} ": " {n}</span> }.into_any(),
                                            None => view! { <span>{t.unassigned()}</span> }.into_any(),
                                        }}
                                    </p>
                                    {(!q.assigned_to_me).then(|| view! {
                                        <PostForm action=TakeInquiry::url() class="inline-form">
                                            <input type="hidden" name="id" value=q.id />
                                            <button type="submit">{t.take_this()}</button>
                                        </PostForm>
                                    })}
                                    </div>
                                </section>
                                <ThreadWatcher id=q.id version=w.version.clone() />
                                <div class="ws">
                                    // below 1200 px one pane at a time: radio buttons as tabs (no script)
                                    <fieldset class="ws-tabs">
                                        <legend class="visually-hidden">{t.ws_tabs()}</legend>
                                        <input type="radio" name="ws-tab" id="ws-tab-conversation" value="conversation" checked=true />
                                        <label for="ws-tab-conversation">{t.ws_tab_conversation()}</label>
                                        <input type="radio" name="ws-tab" id="ws-tab-properties" value="properties" />
                                        <label for="ws-tab-properties">{t.ws_tab_properties()}</label>
                                        <input type="radio" name="ws-tab" id="ws-tab-customer" value="customer" />
                                        <label for="ws-tab-customer">{t.ws_tab_customer()}</label>
                                    </fieldset>
                                    <div class="ws-pane ws-left">
                                        {properties_form(t, &q, left)}
                                        <QueueNav current=q.id queue=w.queue now=w.now />
                                    </div>
                                    <div class="ws-pane ws-middle">
                                        <Thread messages=q.messages customer=q.customer.name.clone() />
                                        <Composer id=q.id suggestions=q.suggestions prefill=w.prefill status=q.status />
                                        <SimilarInquiries id=q.id similar=w.similar />
                                        {last_reply.map(|answer| view! {
                                            <details class="card propose" open=proposed()>
                                                <summary id="propose-title">{t.propose_faq()}</summary>
                                                <p class="hint">{t.propose_faq_hint()}</p>
                                                {proposed().then(|| view! { <p role="status">{t.proposal_sent()}</p> })}
                                                <PostForm action=ProposeFaq::url()>
                                                    <input type="hidden" name="id" value=q.id />
                                                    <div class="field">
                                                        <label for="field-propose-question">{t.question()}</label>
                                                        <input id="field-propose-question" type="text" name="question" value=q.subject.clone() />
                                                    </div>
                                                    <div class="field">
                                                        <label for="field-propose-answer">{t.answer()}</label>
                                                        <textarea id="field-propose-answer" name="answer" rows="4">{answer}</textarea>
                                                    </div>
                                                    <button type="submit">{t.propose_faq()}</button>
                                                </PostForm>
                                            </details>
                                        })}
                                    </div>
                                    <div class="ws-pane ws-right">
                                        <CustomerPanel c=q.customer />
                                    </div>
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

/// "SLA due: 1h 5m left", or that the first response was given.
fn sla_text(t: &'static crate::i18n::Texts, left_ms: i64, answered: bool) -> String {
    if answered {
        t.ws_sla_met().to_string()
    } else {
        format!("{}: {}", t.sla_due(), t.time_left(left_ms / 60_000))
    }
}

/// The inquiry's properties, changed together with one submit.
fn properties_form(t: &'static crate::i18n::Texts, q: &AgentInquiry, left: i64) -> impl IntoView + use<> {
    let closed = q.status == crate::model::InquiryStatus::Closed;
    // built here, from the borrowed inquiry: the form's children must own what they show
    let fields = view! {
                <input type="hidden" name="id" value=q.id />
                <div class="field">
                    <label for="field-status">{t.status()}</label>
                    {if closed {
                        view! {
                            <input type="hidden" name="status" value="" />
                            <p id="field-status" class="hint">{t.ws_status_closed()}</p>
                        }.into_any()
                    } else {
                        view! {
                            <select id="field-status" name="status">
                                {AGENT_STATUSES.iter().map(|s| view! {
                                    <option value=s.as_str() selected=*s == q.status>{t.inquiry_status(*s)}</option>
                                }).collect_view()}
                                // new: not one an agent sets, but it is what the inquiry is now
                                {(!AGENT_STATUSES.contains(&q.status)).then(|| view! { <option value="" selected=true>{t.inquiry_status(q.status)}</option> })}
                            </select>
                        }.into_any()
                    }}
                </div>
                <div class="field">
                    <label for="field-type">{t.inquiry_type()}</label>
                    <select id="field-type" name="type_code">
                        {q.types.iter().map(|o| view! { <option value=o.code.clone() selected=o.code == q.type_code>{o.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="field-voc">{t.voc_label()}</label>
                    <select id="field-voc" name="voc">
                        <option value="" selected=q.voc.is_none()>{t.voc_none()}</option>
                        {crate::model::VocCategory::ALL.into_iter().map(|c| view! { <option value=c.as_str() selected=q.voc == Some(c)>{t.voc_name(c)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="field-group">{t.queue_group()}</label>
                    <select id="field-group" name="group_code">
                        {q.groups.iter().map(|g| view! { <option value=g.code.clone() selected=g.code == q.group_code>{g.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="field-assignee">{t.ws_assignee()}</label>
                    <select id="field-assignee" name="assignee">
                        <option value="" selected=q.assigned_id.is_none()>{t.unassigned()}</option>
                        {q.agents.iter().map(|a| view! { <option value=a.id selected=q.assigned_id == Some(a.id)>{a.name.clone()}</option> }).collect_view()}
                        // assigned to someone outside the group (an admin, a former member): still shown
                        {q.assigned_id.filter(|id| !q.agents.iter().any(|a| a.id == *id)).map(|id| view! {
                            <option value=id selected=true>{q.assigned_name.clone().unwrap_or_default()}</option>
                        })}
                    </select>
                </div>
                <div class="field">
                    <label for="field-note">{t.ws_property_note()}</label>
                    <input id="field-note" type="text" name="note" maxlength="2000" />
                </div>
                <p class="hint">{t.sla_due()} ": " {format_datetime(q.sla_due_at)} " (" {t.time_left(left / 60_000)} ")"</p>
                <p class="hint">{t.ws_properties_hint()}</p>
                <button type="submit">{t.ws_save_properties()}</button>
    };
    view! {
        <section class="card ws-properties" aria-labelledby="props-title">
            <h2 id="props-title">{t.ws_properties()}</h2>
            <PostForm action=AgentUpdate::url()>{fields}</PostForm>
        </section>
    }
}

/// The agent's own inquiries and the top of the queue, to move on without leaving the workspace.
#[component]
fn QueueNav(current: i64, queue: Vec<crate::agent::queue::QueueItem>, now: i64) -> impl IntoView {
    let t = use_i18n().t();
    let at = queue.iter().position(|i| i.id == current);
    let prev = at.and_then(|n| n.checked_sub(1)).and_then(|n| queue.get(n)).map(|i| i.id);
    let next = match at {
        Some(n) => queue.get(n + 1).map(|i| i.id),
        None => queue.first().map(|i| i.id),
    };
    view! {
        <nav class="card ws-queue" aria-labelledby="ws-queue-title">
            <h2 id="ws-queue-title">{t.ws_my_queue()}</h2>
            <PostForm action=crate::agent::queue::TakeNextInquiry::url() class="inline-form">
                <button type="submit" class="primary" id="take-next">{t.take_next()}</button>
            </PostForm>
            <p class="ws-prev-next">
                {prev.map(|p| view! { <a id="queue-prev" rel="prev" href=format!("/agent/inquiries/{p}")>{t.ws_previous()}</a> })}
                {next.map(|n| view! { <a id="queue-next" rel="next" href=format!("/agent/inquiries/{n}")>{t.ws_next()}</a> })}
            </p>
            {if queue.is_empty() {
                view! { <p class="hint">{t.queue_empty()}</p> }.into_any()
            } else {
                view! {
                    <ol class="ws-queue-list">
                        {queue.into_iter().map(|i| {
                            let here = i.id == current;
                            let left = crate::domain::queue::time_left(i.sla_due_at, now);
                            view! {
                                <li class:current=here class:overdue=i.overdue>
                                    <a href=format!("/agent/inquiries/{}", i.id) aria-current=here.then_some("page")>{i.subject}</a>
                                    <span class="meta">
                                        {i.customer_name} " · " <span class=format!("badge grade-{}", i.grade)>{t.grade_name(i.grade)}</span>
                                        " · " {t.inquiry_status(i.status)} " · " {t.time_left(left / 60_000)}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </nav>
    }
}

/// The whole thread, the customer's messages under the customer's name.
#[component]
fn Thread(messages: Vec<AgentMessage>, customer: String) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <section class="card ws-thread" aria-labelledby="thread-title">
            <h2 id="thread-title">{t.thread()}</h2>
            <div class="thread-scroll" tabindex="0">
            <ol class="thread">
                {messages.into_iter().map(|m| {
                    // the customer by name: "You" is the customer's own view of the thread
                    let who = match m.author_kind.as_str() {
                        "customer" => customer.clone(),
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
                                // a message that came by mail: its original, as the customer's mail client sent it
                                {m.mail_id.map(|mail| view! {
                                    " " <a class="badge mail-original" href=format!("/mail/inbound/{mail}/original.eml") download="">{t.by_mail_original()}</a>
                                })}
                            </p>
                            <crate::ui::MessageBody bot=m.author_kind == "bot" body=body />
                            <crate::ui::AttachmentList files=m.attachments />
                        </li>
                    }
                }).collect_view()}
            </ol>
            </div>
        </section>
    }
}

/// One composer: a reply or an internal note, the status to set on send, and the FAQ answers
/// that match the inquiry (each with its confidence) ready to put into the message.
#[component]
fn Composer(id: i64, suggestions: Vec<SuggestionView>, prefill: Option<(Option<i64>, String)>, status: crate::model::InquiryStatus) -> impl IntoView {
    let t = use_i18n().t();
    let (prefill_id, prefill_text) = prefill.map(|(i, a)| (i.map(|i| i.to_string()).unwrap_or_default(), a)).unwrap_or_default();
    let closed = status == crate::model::InquiryStatus::Closed;
    let files_error = crate::ui::field_text(crate::ui::posted_error(crate::model::attachment::forms::AGENT_COMPOSE), "files");
    view! {
        <section class="card ws-composer" id="composer" aria-labelledby="composer-title">
            <div class="card-head">
                <h2 id="composer-title">{t.ws_composer()}</h2>
                <a class="hint" href="/agent/replies">{t.saved_replies_title()}</a>
            </div>
            <div class="ws-suggestions" aria-labelledby="suggest-title">
                <h3 id="suggest-title">{t.faq_suggestions()}</h3>
                {if suggestions.is_empty() {
                    view! { <p class="hint">{t.no_suggestions()}</p> }.into_any()
                } else {
                    view! {
                        <ol class="suggestions">
                            {suggestions.into_iter().map(|s| view! {
                                <li>
                                    <details>
                                        <summary>
                                            <strong>{s.question}</strong> " "
                                            <span class="badge">{t.confidence(s.confidence)}</span>
                                        </summary>
                                        <p class="hint suggestion-answer">{s.answer}</p>
                                    </details>
                                    <a class="button" data-template-id=s.template_id href=format!("/agent/inquiries/{id}?use={}#composer", s.template_id)>{t.use_answer()}</a>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </div>
            <form action={crate::model::attachment::forms::AGENT_COMPOSE} method="post" enctype="multipart/form-data" data-upload="">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="template_id" value=prefill_id />
                <fieldset class="ws-kind">
                    <legend>{t.ws_kind()}</legend>
                    <label class="check"><input type="radio" name="kind" value="reply" checked=!closed disabled=closed /> {t.ws_kind_reply()}</label>
                    <label class="check"><input type="radio" name="kind" value="note" checked=closed /> {t.ws_kind_note()}</label>
                </fieldset>
                <div class="field">
                    <label for="field-body">{t.ws_message()}</label>
                    <textarea id="field-body" name="body" rows="5">{prefill_text}</textarea>
                </div>
                <WorkspaceKeys inquiry_id=id />
                <div class="ws-send">
                    <crate::ui::AttachField error=files_error compact=true />
                    <div class="field">
                        <label for="field-next-status">{t.status_after_reply()}</label>
                        <select id="field-next-status" name="next_status">
                            <option value="" selected=true>{t.ws_auto_status()}</option>
                            <option value="keep">{t.ws_keep_status()}</option>
                            {(!closed).then(|| AGENT_STATUSES.iter().map(|s| view! {
                                <option value=s.as_str()>{t.inquiry_status(*s)}</option>
                            }).collect_view())}
                        </select>
                    </div>
                    <button type="submit" class="primary" id="send">{t.send()}</button>
                </div>
            </form>
        </section>
    }
}

/// Resolved inquiries that asked the same by meaning (the semantic FAQ head's embeddings), each
/// with the answer that resolved it: open it, or put its answer into the reply box to edit.
#[component]
fn SimilarInquiries(id: i64, similar: Vec<crate::domain::similar::SimilarPast>) -> impl IntoView {
    let t = use_i18n().t();
    (!similar.is_empty()).then(|| view! {
        <section class="card ws-similar" aria-labelledby="similar-title">
            <h2 id="similar-title">{t.similar_inquiries()}</h2>
            <ol class="suggestions">
                {similar.into_iter().map(|s| view! {
                    <li>
                        <details>
                            <summary>
                                <strong>{s.subject}</strong> " "
                                <span class="badge">{t.similarity(s.similarity)}</span>
                                {s.resolved_at.map(|at| view! { " " <span class="hint">{format_date(at)}</span> })}
                            </summary>
                            <p class="hint">{excerpt(&s.question, 240)}</p>
                            <p class="suggestion-answer">{s.answer}</p>
                            <p><a href=format!("/agent/inquiries/{}", s.id)>{t.open_inquiry()}</a></p>
                        </details>
                        <a class="button" href=format!("/agent/inquiries/{id}?reuse={}#composer", s.id)>{t.use_answer()}</a>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    })
}

/// The first `max` characters of `text`, with "…" when cut.
fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// The kinds of contact in the 360° history, in the filter's order.
const CONTACT_KINDS: [&str; 6] = ["inquiry", "message", "note", "chat", "order", "email"];

/// The 360° view of the customer: who they are, how to reach them, what they bought, and every
/// contact so far.
/// `scope` tells panels on one page apart (the chat desk shows one per chat).
#[component]
pub(crate) fn CustomerPanel(c: Customer360, #[prop(optional)] scope: Option<i64>) -> impl IntoView {
    let t = use_i18n().t();
    let scope = scope.map(|s| s.to_string()).unwrap_or_default();
    // the kinds present, for the filter (radio buttons: CSS shows the chosen kind, no script)
    let mut kinds: Vec<&'static str> = Vec::new();
    for h in &c.contacts {
        if let Some(k) = CONTACT_KINDS.iter().find(|k| **k == h.kind) {
            if !kinds.contains(k) {
                kinds.push(k);
            }
        }
    }
    kinds.sort_by_key(|k| CONTACT_KINDS.iter().position(|x| x == k));
    let yes_no = move |b: bool| if b { t.consent_yes() } else { t.consent_no() };
    view! {
        <aside class="card customer-360" aria-labelledby=format!("c360{scope}-title")>
            <h2 id=format!("c360{scope}-title")>{t.customer_360()}</h2>
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
            <h3 id=format!("ch{scope}-title")>{t.contact_history()}</h3>
            {(kinds.len() > 1).then(|| {
                let name = format!("ch{scope}-kind");
                view! {
                    <fieldset class="kind-filter">
                        <legend class="visually-hidden">{t.contact_kind_filter()}</legend>
                        {std::iter::once("").chain(kinds.iter().copied()).map(|k| {
                            let id = format!("ch{scope}-kind-{}", if k.is_empty() { "all" } else { k });
                            view! {
                                <input type="radio" name=name.clone() id=id.clone() value=k checked=k.is_empty() />
                                <label for=id>{t.agent_history_kind(k)}</label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            })}
            <ul class="item-list contacts-360" aria-labelledby=format!("ch{scope}-title")>
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

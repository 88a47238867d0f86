//! The inquiries pages (components rendered on the server; the islands and server functions
//! they use are in `mod.rs`).

use super::*;

/// One inquiry in a list: status, subject (a link to the thread), type and date.
#[component]
pub fn InquiryEntry(item: InquiryListItem) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <li>
            <span class=format!("badge status-{}", item.status)>{t.inquiry_status(item.status)}</span>
            " " <a href=format!("/my/inquiries/{}", item.id)><strong>{item.subject}</strong></a>
            <span class="meta">{item.type_name} " · " {format_date(item.created_at)}</span>
        </li>
    }
}

#[component]
pub fn InquiriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.read().get("status").filter(|s| !s.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
    let list = Resource::new(move || (status(), page(), i18n.locale.get()), |(s, p, l)| list_my_inquiries(s, p, l));
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="page-head">
                <h1>{move || i18n.t().inquiries_title()}</h1>
                <a class="button primary" href="/my/inquiries/new">{move || i18n.t().new_inquiry()}</a>
            </section>
            <FilterForm
                action="/my/inquiries"
                name="status"
                label=Signal::derive(move || i18n.t().status())
                options=&InquiryStatus::WORDS
                option_label=|t, word| InquiryStatus::parse(word).map_or("", |s| t.inquiry_status(s))
                selected=Signal::derive(status)
            />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match list.await {
                        Ok(p) if p.items.is_empty() => view! { <p class="card">{t.no_inquiries_yet()}</p> }.into_any(),
                        Ok(p) => {
                            let status_param = status().map(|s| format!("status={}&", encode_query_value(&s))).unwrap_or_default();
                            view! {
                                <section class="card">
                                    <ul class="item-list">
                                        {p.items.into_iter().map(|q| view! { <InquiryEntry item=q /> }).collect_view()}
                                    </ul>
                                    <Pager base=format!("/my/inquiries?{status_param}") page=p.page pages=p.pages />
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
pub fn NewInquiryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let order = query.read_untracked().get("order").unwrap_or_default();
    let types = Resource::new(move || i18n.locale.get(), list_inquiry_types);
    let orders = Resource::new(|| (), |_| crate::customer::orders::list_my_orders(None, 1));
    // posted natively as multipart (with files); a failed post comes back with its error
    let value = crate::ui::posted_error(crate::model::attachment::forms::FILE_INQUIRY);
    // kept (Copy) for the guarded view, which may be built more than once on the server
    let key = StoredValue::new(new_form_key());
    let order = StoredValue::new(order);
    // the field errors of the last (plain form) submission, in words, for the islands
    let field_text = crate::ui::field_text::<String>;
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="card">
                <h1>{move || i18n.t().new_inquiry()}</h1>
                <FormAlert value=value />
                <form action={crate::model::attachment::forms::FILE_INQUIRY} method="post" enctype="multipart/form-data" data-upload="">
                    <input type="hidden" name="idempotency_key" value=key.get_value() />
                    <div class="field">
                        <label for="field-type_code">{move || i18n.t().inquiry_type()}</label>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let options = types.await.unwrap_or_default();
                                view! {
                                    <select id="field-type_code" name="type_code" aria-describedby="field-type_code-error">
                                        {options.into_iter().map(|o| view! { <option value=o.code>{o.name}</option> }).collect_view()}
                                    </select>
                                }
                            })}
                        </Transition>
                        <p class="field-error" id="field-type_code-error">
                            {move || field_errors(value, "type_code").get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")}
                        </p>
                    </div>
                    <div class="field">
                        <label for="field-order_no">{move || i18n.t().linked_order()}</label>
                        <Transition fallback=|| ()>
                            {move || {
                                let order = order.get_value();
                                Suspend::new(async move {
                                    let recent = orders.await.map(|p| p.items).unwrap_or_default();
                                    let t = i18n.t();
                                    // the asked-about order is listed even when it is older than the recent ones
                                    let listed = recent.iter().any(|o| o.order_no == order);
                                    view! {
                                        <select id="field-order_no" name="order_no" aria-describedby="field-order_no-error">
                                            <option value="" selected=order.is_empty()>{t.no_linked_order()}</option>
                                            {(!order.is_empty() && !listed).then(|| view! {
                                                <option value=order.clone() selected=true>{t.order_title(&order)}</option>
                                            })}
                                            {recent.into_iter().map(|o| {
                                                let selected = o.order_no == order;
                                                let label = format!("{} · {} · {}", o.order_no, format_date(o.placed_at), t.items_summary(&o.first_item, o.item_count));
                                                view! { <option value=o.order_no selected=selected>{label}</option> }
                                            }).collect_view()}
                                        </select>
                                    }
                                })
                            }}
                        </Transition>
                        <p class="field-error" id="field-order_no-error">{field_text(value, "order_no")}</p>
                    </div>
                    <CountedField
                        name="subject".to_string()
                        label=i18n.t().subject().to_string()
                        max=SUBJECT_MAX_CHARS
                        multiline=false
                        error=field_text(value, "subject")
                    />
                    <CountedField
                        name="body".to_string()
                        label=i18n.t().inquiry_body().to_string()
                        max=BODY_MAX_CHARS
                        multiline=true
                        error=field_text(value, "body")
                    />
                    <crate::ui::AttachField error=field_text(value, "files") />
                    <button type="submit" class="primary">{move || i18n.t().send()}</button>
                </form>
            </section>
            <FaqSuggestions />
        </Guarded>
    }
}

#[component]
pub fn InquiryDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // the reply form posts natively as multipart (with files); a failed post comes back with its error
    let reply_value = crate::ui::posted_error(crate::model::attachment::forms::REPLY_WITH_FILES);
    let close = ServerAction::<CloseInquiry>::new();
    let reopen = ServerAction::<ReopenInquiry>::new();
    let rate = ServerAction::<RateInquiry>::new();
    let decide = ServerAction::<DecideAutoAnswer>::new();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(
        move || (id(), i18n.locale.get(), close.version().get(), reopen.version().get(), rate.version().get(), decide.version().get()),
        |(id, locale, ..)| get_my_inquiry(id, locale),
    );
    let rate_value = Signal::derive(move || rate.value().get());
    let other_value =
        Signal::derive(move || close.value().get().or_else(|| reopen.value().get()).or_else(|| decide.value().get()));
    view! {
        <Guarded area=Some(Area::Customer)>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match detail.await {
                        Ok(d) => view! {
                            <section class="page-head">
                                <p><a href="/my/inquiries">{t.back_to_inquiries()}</a></p>
                                <h1>{d.subject.clone()}</h1>
                                <p class="lead">
                                    <span class=format!("badge status-{}", d.status)>{t.inquiry_status(d.status)}</span>
                                    " " {d.type_name.clone()} " · " {format_datetime(d.created_at)}
                                    {d.order_no.clone().map(|no| view! {
                                        " · " <a href=format!("/my/orders/{}", encode_query_value(&no))>{t.order_title(&no)}</a>
                                    })}
                                </p>
                            </section>
                            <section class="card">
                                <ol class="thread">
                                    {d.messages.into_iter().map(|m| {
                                        let who = match m.author_kind.as_str() {
                                            "customer" => t.author_customer().to_string(),
                                            "agent" => m.author_name.clone().unwrap_or_else(|| t.author_agent().to_string()),
                                            "bot" => t.author_bot().to_string(),
                                            _ => t.author_system().to_string(),
                                        };
                                        let body = if m.author_kind == "system" { t.system_event(&m.body).to_string() } else { m.body };
                                        view! {
                                            <li class=format!("msg msg-{}", m.author_kind)>
                                                <p class="msg-head"><strong>{who}</strong> " " <time>{format_datetime(m.at)}</time></p>
                                                <crate::ui::MessageBody bot=m.author_kind == "bot" body=body />
                                                <crate::ui::AttachmentList files=m.attachments />
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </section>
                            <FormAlert value=other_value />
                            // the semantic FAQ head decides moments after filing: the page looks
                            // again until it answers or the moment has passed (no script needed)
                            {d.deciding.then(|| view! {
                                <p class="card deciding" role="status">
                                    <meta http-equiv="refresh" content="2" />
                                    {t.deciding_auto_answer()}
                                </p>
                            })}
                            {(d.status == InquiryStatus::AutoAnswered).then(|| view! {
                                <section class="card auto-answer" aria-labelledby="auto-answer-title">
                                    <h2 id="auto-answer-title">{t.auto_answer_title()}</h2>
                                    <p class="hint">{t.auto_answer_hint()}</p>
                                    <div class="actions">
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=d.id />
                                            <input type="hidden" name="solved" value="true" />
                                            <button type="submit" class="primary">{t.auto_answer_solved()}</button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=d.id />
                                            <input type="hidden" name="solved" value="false" />
                                            <button type="submit">{t.auto_answer_need_person()}</button>
                                        </ActionForm>
                                    </div>
                                </section>
                            })}
                            // not while the page looks again: a reload would lose what was typed
                            {(d.can_reply && !d.deciding).then(|| view! {
                                <section class="card">
                                    <h2>{t.reply()}</h2>
                                    <FormAlert value=reply_value />
                                    <form action={crate::model::attachment::forms::REPLY_WITH_FILES} method="post" enctype="multipart/form-data" data-upload="">
                                        <input type="hidden" name="id" value=d.id />
                                        <div class="field">
                                            <label for="field-reply">{t.reply_label()}</label>
                                            <textarea id="field-reply" name="body" rows="5" aria-describedby="field-reply-error"></textarea>
                                            <p class="field-error" id="field-reply-error">
                                                {move || field_errors(reply_value, "body").get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")}
                                            </p>
                                        </div>
                                        <crate::ui::AttachField error=crate::ui::field_text(reply_value, "files") />
                                        <button type="submit" class="primary">{t.send()}</button>
                                    </form>
                                </section>
                            })}
                            {d.can_rate.then(|| view! {
                                <section class="card" id="rate">
                                    <h2>{t.rate_title()}</h2>
                                    <FormAlert value=rate_value />
                                    <ActionForm action=rate>
                                        <input type="hidden" name="id" value=d.id />
                                        <fieldset class="rating">
                                            <legend>{t.rate_legend()}</legend>
                                            {(1..=5).map(|n| view! {
                                                <label class="rating-option">
                                                    <input type="radio" name="score" value=n required=true />
                                                    {t.stars(n)}
                                                </label>
                                            }).collect_view()}
                                        </fieldset>
                                        <div class="field">
                                            <label for="field-comment">{t.rate_comment()}</label>
                                            <textarea id="field-comment" name="comment" rows="3"></textarea>
                                        </div>
                                        <SubmitButton label=Signal::derive(move || i18n.t().rate_submit()) pending=rate.pending().into() />
                                    </ActionForm>
                                </section>
                            })}
                            {d.csat.map(|score| view! {
                                <p class="card">{t.rated(score)} {d.csat_comment.clone().map(|c| view! { " — " <q>{c}</q> })}</p>
                            })}
                            <div class="actions">
                                {d.can_close.then(|| view! {
                                    <ActionForm action=close attr:class="inline-form">
                                        <input type="hidden" name="id" value=d.id />
                                        <button type="submit">{t.close_inquiry()}</button>
                                    </ActionForm>
                                })}
                                {d.can_reopen.then(|| view! {
                                    <ActionForm action=reopen attr:class="inline-form">
                                        <input type="hidden" name="id" value=d.id />
                                        <button type="submit">{t.reopen_inquiry()}</button>
                                    </ActionForm>
                                })}
                            </div>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

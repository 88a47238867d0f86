//! Agents and agent groups: create agent accounts, set their groups and chat limit, disable an
//! account (its sessions end at once); create and edit groups (supervisors, push mode). Audited.

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{FormAlert, PageError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub disabled: bool,
    pub chat_limit: i64,
    pub presence: crate::model::Presence,
    pub groups: Vec<String>,
    /// The name customers see.
    pub public_name: String,
    /// Weekly shifts in the form admins write them ("mon-fri 09-18"), empty when none.
    pub shifts: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct GroupRow {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::model::Flag"))]
    pub supervisors: bool,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::model::Flag"))]
    pub push_mode: bool,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentsView {
    pub agents: Vec<AgentRow>,
    pub groups: Vec<GroupRow>,
}

pub const MAX_CHAT_LIMIT: i64 = 50;

#[cfg(feature = "ssr")]
fn chat_limit(raw: &str) -> Result<i64, AppError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (0..=MAX_CHAT_LIMIT).contains(&n) => Ok(n),
        _ => Err(AppError::invalid("chat_limit", crate::error::FieldCode::OutOfRange { min: 0, max: MAX_CHAT_LIMIT })),
    }
}

/// Shift text checked and written the canonical way ("mon-fri 09-18, sat 10-14").
#[cfg(feature = "ssr")]
fn shifts(raw: &str) -> Result<String, AppError> {
    use crate::domain::roster::{format, parse, ShiftError, MAX_CHARS};
    use crate::error::FieldCode;
    match parse(raw) {
        Ok(week) => Ok(format(&week)),
        Err(ShiftError::TooLong) => Err(AppError::invalid("shifts", FieldCode::TooLong { max: MAX_CHARS })),
        Err(ShiftError::Invalid(part)) => Err(AppError::invalid("shifts", FieldCode::InvalidShift { part })),
    }
}

#[server(endpoint = "admin_agents")]
pub async fn admin_agents() -> Result<AgentsView, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    Ok(AgentsView { agents: super::queries::agents(&state.db).await?, groups: super::queries::groups(&state.db).await? })
}

/// Creates an agent account. `groups` are group codes (check boxes named `groups[i]`).
#[server(endpoint = "admin_agent_create")]
pub async fn admin_agent_create(
    name: String,
    #[server(default)] public_name: String,
    email: String,
    password: String,
    #[server(default)] groups: Vec<String>,
    chat_limit: String,
) -> Result<(), AppError> {
    use crate::domain::validation;
    use crate::error::FieldError;
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let mut errors = Vec::new();
    let name = validation::validate_name(&name).map_err(|c| errors.push(FieldError::new("name", c))).ok();
    // the name customers see: the account name unless the admin gives another
    let public_name = match public_name.trim() {
        "" => name.clone(),
        p => validation::validate_name(p).map_err(|c| errors.push(FieldError::new("public_name", c))).ok(),
    };
    let email = validation::validate_email(&email).map_err(|c| errors.push(FieldError::new("email", c))).ok();
    if let Err(c) = validation::validate_password(&password) {
        errors.push(FieldError::new("password", c));
    }
    let limit = self::chat_limit(&chat_limit).map_err(|e| if let AppError::Invalid(v) = e { errors.extend(v) }).ok();
    let (Some(name), Some(public_name), Some(email), Some(limit)) = (name, public_name, email, limit) else { return Err(AppError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = crate::auth::password::hash(password).await?;
    crate::store::agents::create_agent(&state.db, &name, &public_name, &email, &hash, &groups, limit, admin.id, now).await?;
    Ok(())
}

#[server(endpoint = "admin_agent_update")]
pub async fn admin_agent_update(
    user_id: i64,
    #[server(default)] public_name: String,
    #[server(default)] groups: Vec<String>,
    chat_limit: String,
    disabled: Option<String>,
    #[server(default)] shifts: String,
) -> Result<(), AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let limit = self::chat_limit(&chat_limit)?;
    let shifts = self::shifts(&shifts)?;
    // empty (a client that does not send it): as it is
    let public_name = match public_name.trim() {
        "" => None,
        p => Some(crate::domain::validation::validate_name(p).map_err(|c| AppError::invalid("public_name", c))?),
    };
    let update = crate::store::agents::AgentUpdate { public_name: public_name.as_deref(), groups: &groups, chat_limit: limit, disabled: disabled.is_some(), shifts: &shifts };
    let requeued = crate::store::agents::update_agent(&state.db, user_id, update, admin.id, now).await?;
    // the agent's live chat connections check themselves against the new groups / disabled flag
    state.chat.access_changed(crate::chat::fanout::AccessChange::Account(user_id));
    // customers of chats put back in a queue are told, and the queues move (the change is saved
    // already: a failure to announce is logged, not reported as a failed save)
    for chat in requeued {
        let told = async {
            crate::chat::service::announce(&state, chat.chat_id, Some(chat.seq)).await?;
            crate::chat::service::refresh_queue(&state, chat.group_id).await
        };
        if let Err(e) = told.await {
            tracing::warn!(chat_id = chat.chat_id, error = %e, "announcing a re-queued chat failed");
        }
    }
    Ok(())
}

#[server(endpoint = "admin_group_save")]
pub async fn admin_group_save(
    create: String,
    code: String,
    name_ko: String,
    name_en: String,
    supervisors: Option<String>,
    push_mode: Option<String>,
) -> Result<(), AppError> {
    use crate::error::FieldCode;
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let code = code.trim();
    if !crate::domain::inquiry_type::valid_code(code) {
        return Err(AppError::invalid("code", FieldCode::InvalidChoice));
    }
    let name_ko = crate::domain::inquiry::validate_text(&name_ko, 50, false).map_err(|c| AppError::invalid("name_ko", c))?;
    let name_en = crate::domain::inquiry::validate_text(&name_en, 50, false).map_err(|c| AppError::invalid("name_en", c))?;
    crate::store::agents::save_group(
        &state.db,
        create == "true",
        code,
        &name_ko,
        &name_en,
        supervisors.is_some(),
        push_mode.is_some(),
        admin.id,
        now,
    )
    .await
}

#[component]
pub fn AgentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<AdminAgentCreate>::new();
    let update = ServerAction::<AdminAgentUpdate>::new();
    let group = ServerAction::<AdminGroupSave>::new();
    let data = Resource::new(
        move || (create.version().get(), update.version().get(), group.version().get()),
        |_| admin_agents(),
    );
    let result = Signal::derive(move || create.value().get().or_else(|| update.value().get()).or_else(|| group.value().get()));
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().agents_title()}</h1>
            </section>
            <FormAlert value=result />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => {
                            let groups = v.groups.clone();
                            let new_boxes = group_checkboxes(&groups, "new", &[]);
                            view! {
                                <section class="card">
                                    <h2>{t.agents_title()}</h2>
                                    <ul class="item-list">
                                        {v.agents.into_iter().map(|a| {
                                            let p = format!("a{}", a.user_id);
                                            let boxes = group_checkboxes(&groups, &p, &a.groups);
                                            view! {
                                                <li class:disabled=a.disabled>
                                                    <p><strong>{a.name.clone()}</strong> <span class="meta">{a.email.clone()} " · " {t.presence_name(a.presence)}</span></p>
                                                    <ActionForm action=update attr:class="grid-form">
                                                        <input type="hidden" name="user_id" value=a.user_id />
                                                        <label for=format!("{p}-public")>{t.public_name()}</label>
                                                        <input id=format!("{p}-public") type="text" name="public_name" value=a.public_name.clone() maxlength="50"
                                                            aria-describedby=format!("{p}-public-hint") />
                                                        <small id=format!("{p}-public-hint") class="hint">{t.public_name_hint()}</small>
                                                        <fieldset><legend>{t.queue_group()}</legend>{boxes}</fieldset>
                                                        <label for=format!("{p}-limit")>{t.chat_limit()}</label>
                                                        <input id=format!("{p}-limit") type="number" min="0" max="50" name="chat_limit" value=a.chat_limit />
                                                        <label for=format!("{p}-shifts")>{t.shifts_label()}</label>
                                                        <input id=format!("{p}-shifts") type="text" name="shifts" value=a.shifts.clone() maxlength="1000"
                                                            placeholder="mon-fri 09-18" aria-describedby=format!("{p}-shifts-hint") />
                                                        <small id=format!("{p}-shifts-hint") class="hint">{t.shifts_hint()}</small>
                                                        <label class="check"><input type="checkbox" name="disabled" value="on" checked=a.disabled /> {t.account_disabled()}</label>
                                                        <button type="submit">{t.save()}</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </section>
                                <section class="card">
                                    <h2>{t.new_agent()}</h2>
                                    <ActionForm action=create attr:class="grid-form">
                                        <label for="new-agent-name">{t.name()}</label>
                                        <input id="new-agent-name" type="text" name="name" />
                                        <label for="new-agent-public">{t.public_name()}</label>
                                        <input id="new-agent-public" type="text" name="public_name" aria-describedby="new-agent-public-hint" />
                                        <small id="new-agent-public-hint" class="hint">{t.public_name_hint()}</small>
                                        <label for="new-agent-email">{t.email()}</label>
                                        <input id="new-agent-email" type="email" name="email" />
                                        <label for="new-agent-password">{t.password()}</label>
                                        <input id="new-agent-password" type="password" name="password" autocomplete="new-password" />
                                        <fieldset><legend>{t.queue_group()}</legend>{new_boxes}</fieldset>
                                        <label for="new-agent-limit">{t.chat_limit()}</label>
                                        <input id="new-agent-limit" type="number" min="0" max="50" name="chat_limit" value="3" />
                                        <button type="submit" class="primary">{t.create()}</button>
                                    </ActionForm>
                                </section>
                                <section class="card">
                                    <h2>{t.groups_title()}</h2>
                                    {v.groups.into_iter().map(|g| view! { <GroupForm g=Some(g) action=group /> }).collect_view()}
                                    <GroupForm g=None action=group />
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

/// One check box per group, named `groups[i]` so the ticked codes arrive as a list.
fn group_checkboxes(groups: &[GroupRow], prefix: &str, selected: &[String]) -> Vec<AnyView> {
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let id = format!("{prefix}-g-{}", g.code);
            let label_for = id.clone();
            let checked = selected.contains(&g.code);
            let name = format!("groups[{i}]");
            let text = format!(" {} / {}", g.name_ko, g.name_en);
            view! {
                <label class="check" for=label_for>
                    <input id=id type="checkbox" name=name value=g.code.clone() checked=checked />
                    {text}
                </label>
            }
            .into_any()
        })
        .collect()
}

#[component]
fn GroupForm(g: Option<GroupRow>, action: ServerAction<AdminGroupSave>) -> impl IntoView {
    let t = use_i18n().t();
    let create = g.is_none();
    let g = g.unwrap_or(GroupRow { code: String::new(), name_ko: String::new(), name_en: String::new(), supervisors: false, push_mode: false, members: 0 });
    let p = if create { "new-group".to_string() } else { format!("group-{}", g.code) };
    view! {
        <ActionForm action=action attr:class="grid-form group-form">
            <input type="hidden" name="create" value=create.to_string() />
            <label for=format!("{p}-code")>{t.type_code()}</label>
            {if create {
                view! { <input id=format!("{p}-code") type="text" name="code" /> }.into_any()
            } else {
                view! { <input id=format!("{p}-code") type="text" name="code" value=g.code.clone() readonly=true /> }.into_any()
            }}
            <label for=format!("{p}-ko")>{t.name_ko()}</label>
            <input id=format!("{p}-ko") type="text" name="name_ko" value=g.name_ko.clone() />
            <label for=format!("{p}-en")>{t.name_en()}</label>
            <input id=format!("{p}-en") type="text" name="name_en" value=g.name_en.clone() />
            <label class="check"><input type="checkbox" name="supervisors" value="on" checked=g.supervisors /> {t.supervisors_group()}</label>
            <label class="check"><input type="checkbox" name="push_mode" value="on" checked=g.push_mode /> {t.push_mode()}</label>
            {(!create).then(|| view! { <span class="meta">{t.members_n(g.members)}</span> })}
            <button type="submit">{if create { t.create() } else { t.save() }}</button>
        </ActionForm>
    }
}

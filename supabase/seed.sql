-- Development seed: a small, realistic platform to build and click through.
--
-- DEVELOPMENT DATA ONLY. This file is never a migration: a migration would ship
-- these test users (with a known password) to production. `supabase db reset`
-- and our runner (`make db`) run it once, after the migrations, in one
-- transaction, as the database owner, on an empty schema. It must run on
-- PostgreSQL 15 (Supabase) as well as PGlite's PostgreSQL 18.
--
-- What it holds:
--   * four accounts in auth.users with their profiles: one admin and three
--     business owners of different sizes and experience (password for all:
--     password123, a real bcrypt hash);
--   * the catalogue: 39 published automations and 4 drafts across every
--     category and difficulty, each with its tools, a numbered step-by-step
--     guide and media for every step, and a text embedding;
--   * questionnaire sessions (completed, abandoned, in progress) with answers;
--   * weekly discoveries with ranked recommendations and reactions;
--   * adopted automations with per-step progress;
--   * Stripe subscriptions (live and past) and monthly usage metrics.
--
-- Times are fixed (summer 2025), not relative to now(), so every reset gives
-- the same rows and tests or screenshots never drift.
--
-- Fixed UUID scheme: <tag>000000-0000-4000-8000-<parent, 6 digits><child, 6 digits>
-- (valid version 4 UUIDs; the tag says the table, the digits say the row):
--   a1  auth.users and user_profiles   a1000000-0000-4000-8000-000000000001 .. 004
--   a2  questionnaire_sessions         a2000000-...-000000000001 .. 004
--   a3  questionnaire_responses        a3000000-...-<session><answer no.>
--   b1  automations                    b1000000-...-0000000000NN, NN = catalogue number 01..43
--   b2  automation_tools               b2000000-...-<automation><tool no.>
--   b3  implementation_steps           b3000000-...-<automation><step number>
--   b4  step_media                     b4000000-...-<automation><step, 4 digits><position, 2 digits>
--   c1  weekly_discoveries             c1000000-...-000000000001 .. 004
--   c2  discovered_automations         c2000000-...-<discovery><rank>
--   d1  user_automations               d1000000-...-000000000001 .. 008
--   d2  automation_progress            d2000000-...-<user automation><step number>
--   e1  subscriptions                  e1000000-...-000000000001 .. 005
--   e2  usage_metrics                  e2000000-...-<user><row no.>
-- Rows that are referenced by hand carry their UUID literally below; child rows
-- get theirs from pg_temp.seed_uuid(tag, parent, child), which spells the scheme.
--
-- Helpers live in pg_temp: they vanish with the session and are dropped at the
-- end of this file, so the seed leaves nothing in the schema.

-- ============================================================================
-- Helpers (temporary)
-- ============================================================================
-- seed_uuid('b3', 12, 3) = 'b3000000-0000-4000-8000-000012000003'
create function pg_temp.seed_uuid(tag text, parent integer, child integer)
returns uuid
language sql
immutable
as $$
  select (tag || '000000-0000-4000-8000-'
    || lpad(parent::text, 6, '0') || lpad(child::text, 6, '0'))::uuid;
$$;

-- ============================================================================
-- Users: auth.users and user_profiles
-- ============================================================================
-- Only the auth.users columns that Supabase's real table and the runner's
-- minimal bootstrap both have. The hash is bcrypt of 'password123'.
insert into auth.users (
  id, instance_id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at
)
select
  u.id, '00000000-0000-0000-0000-000000000000', 'authenticated', 'authenticated',
  u.email, '$2a$10$HSaJdJnXz1hJzjDZBz3StevW/RAH2UhwlGgHpVGad5vnNuk8MkW1C',
  u.created_at + interval '5 minutes',
  '{"provider": "email", "providers": ["email"]}',
  jsonb_build_object('full_name', u.full_name),
  u.created_at, u.created_at + interval '5 minutes'
from (values
  ('a1000000-0000-4000-8000-000000000001'::uuid, 'maya.okafor@example.com', 'Maya Okafor', timestamptz '2025-05-20 09:00:00+00'),
  ('a1000000-0000-4000-8000-000000000002'::uuid, 'sam.rivera@example.com',  'Sam Rivera',  timestamptz '2025-07-28 18:40:00+00'),
  ('a1000000-0000-4000-8000-000000000003'::uuid, 'priya.shah@example.com',  'Priya Shah',  timestamptz '2025-08-05 07:55:00+00'),
  ('a1000000-0000-4000-8000-000000000004'::uuid, 'leo.martin@example.com',  'Leo Martin',  timestamptz '2025-08-14 13:20:00+00')
) as u (id, email, full_name, created_at);

-- Supabase Auth reads the token columns into Go strings and fails on NULL
-- ("converting NULL to string is unsupported", supabase/auth#1940), so a user
-- inserted without them could not sign in. Where auth.users has them (Supabase,
-- the runner's bootstrap) they become ''; a minimal auth.users is left alone.
do $$
declare
  assignments text;
begin
  select string_agg(format('%I = coalesce(%I, '''')', column_name, column_name), ', ')
  into assignments
  from information_schema.columns
  where table_schema = 'auth'
    and table_name = 'users'
    and column_name in (
      'confirmation_token', 'recovery_token', 'email_change_token_new',
      'email_change_token_current', 'email_change', 'phone_change',
      'phone_change_token', 'reauthentication_token'
    );
  if assignments is not null then
    execute format(
      'update auth.users set %s where id between %L and %L',
      assignments, 'a1000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000004'
    );
  end if;
end
$$;

-- Maya runs the catalogue (admin). Sam bakes alone and is new to automation;
-- Priya runs a physiotherapy clinic with a small team; Leo runs a wholesale
-- and online store with a large team and is still onboarding.
insert into public.user_profiles (
  user_id, full_name, business_name, industry, business_size, experience,
  current_tools, goals, role, onboarding_status, onboarding_completed_at,
  created_at, updated_at
)
values
  ('a1000000-0000-4000-8000-000000000001', 'Maya Okafor', 'Automation Library', 'Software',
   'small-team', 'expert',
   '{Notion,Slack,Zapier,Make,Google Sheets}',
   '{"Keep the catalogue accurate","Publish two new automations a week"}',
   'admin', 'completed', '2025-05-20 09:30:00+00',
   '2025-05-20 09:00:00+00', '2025-05-20 09:30:00+00'),
  ('a1000000-0000-4000-8000-000000000002', 'Sam Rivera', 'Rivera Bakes', 'Food and beverage',
   'solo', 'beginner',
   '{Square,Instagram,Gmail,Google Sheets,QuickBooks Online}',
   '{"Spend less time on admin","Get paid faster by wholesale cafés","More repeat customers"}',
   'user', 'completed', '2025-08-04 10:31:00+00',
   '2025-07-28 18:40:00+00', '2025-08-04 10:31:00+00'),
  ('a1000000-0000-4000-8000-000000000003', 'Priya Shah', 'Brightside Physio', 'Healthcare',
   'small-team', 'intermediate',
   '{Calendly,Gmail,Google Calendar,Xero,Slack,Twilio}',
   '{"Fewer missed appointments","Simpler payroll for part-time staff","More Google reviews"}',
   'user', 'completed', '2025-08-05 08:20:00+00',
   '2025-08-05 07:55:00+00', '2025-08-05 08:20:00+00'),
  ('a1000000-0000-4000-8000-000000000004', 'Leo Martin', 'Harbor Supply Co.', 'Wholesale and e-commerce',
   'large-team', 'expert',
   '{Shopify,Amazon Seller Central,HubSpot CRM,Zendesk,Slack,QuickBooks Online,Make}',
   '{"Never oversell stock","Answer support tickets within an hour","Route leads to the right rep"}',
   'user', 'in_progress', null,
   '2025-08-14 13:20:00+00', '2025-08-14 13:45:00+00');

-- ============================================================================
-- Catalogue: automations
-- ============================================================================
-- Embeddings. Each automation's embedding is computed here from its own text,
-- deterministically, so that automations about the same thing are each
-- other's nearest neighbours by cosine distance (as real model embeddings
-- would be), with no model and no network:
--   1. text = title and tags (weight 2 each), summary and category (weight 1);
--   2. lowercase, split on anything that is not a letter or digit, drop words
--      of one or two letters and common stop-words;
--   3. crude singular: a final "ies" becomes "y", a final single "s" goes
--      ("invoices" = "invoice", "business" stays);
--   4. each word is hashed with md5 (stable across versions and platforms):
--      its first 32 bits, sign bit cleared, modulo 1536 pick the dimension;
--      the sign of the next 32 bits picks +1 or -1 (the "hashing trick");
--   5. weights are summed per dimension and the vector is divided by its
--      length, so every embedding has unit length (cosine = dot product).
-- Real embeddings (OpenAI, 1536 dimensions) will replace these; the column
-- and the HNSW index do not care where the numbers came from.
create function pg_temp.seed_embedding(title text, summary text, tags text[], category text)
returns extensions.vector
language sql
immutable
as $$
  with part (body, weight) as (
    values (title, 2.0), (array_to_string(tags, ' '), 2.0), (summary, 1.0), (category, 1.0)
  ),
  words as (
    select
      regexp_replace(regexp_replace(w, 'ies$', 'y'), '([^s])s$', '\1') as word,
      part.weight
    from part
    cross join lateral regexp_split_to_table(lower(part.body), '[^a-z0-9]+') as w
    where length(w) > 2
      and w not in (
        'the', 'and', 'for', 'with', 'from', 'your', 'you', 'when', 'each', 'every',
        'into', 'its', 'are', 'that', 'this', 'their', 'they', 'them', 'not', 'all',
        'any', 'one', 'get', 'who', 'what', 'how', 'than', 'then', 'via', 'can',
        'has', 'have', 'was', 'will', 'our', 'out', 'per', 'also', 'just', 'while',
        'still', 'same', 'way', 'right', 'never', 'after', 'before', 'send',
        'automatically'
      )
  ),
  feature as (
    select
      (('x' || substr(md5(word), 1, 8))::bit(32)::integer & 2147483647) % 1536 as dimension,
      sum(
        case when ('x' || substr(md5(word), 9, 8))::bit(32)::integer < 0 then -weight else weight end
      ) as value
    from words
    group by 1
  ),
  magnitude as (
    select sqrt(sum(value * value)) as value from feature
  )
  select array_agg(coalesce(feature.value / magnitude.value, 0)::real order by d.dimension)::extensions.vector(1536)
  from generate_series(0, 1535) as d (dimension)
  cross join magnitude
  left join feature on feature.dimension = d.dimension;
$$;

-- The catalogue, numbered 1..43 (the number is the last digits of the id).
-- Published ones went live one a day from 2 June 2025; 40..43 are drafts.
insert into public.automations (
  id, slug, title, summary, description, category, difficulty,
  setup_minutes, hours_saved_per_week, tags, embedding,
  published, published_at, created_at, updated_at
)
select
  pg_temp.seed_uuid('b1', 0, a.n), a.slug, a.title, a.summary, a.description, a.category, a.difficulty,
  a.setup_minutes, a.hours_saved_per_week, a.tags,
  pg_temp.seed_embedding(a.title, a.summary, a.tags, a.category),
  a.published,
  case when a.published then timestamptz '2025-06-02 09:00:00+00' + (a.n - 1) * interval '1 day' end,
  timestamptz '2025-05-26 09:00:00+00' + (a.n - 1) * interval '1 day',
  timestamptz '2025-05-26 09:00:00+00' + (a.n - 1) * interval '1 day'
    + case when a.published then interval '7 days' else interval '0 days' end
from (values
  -- finance
  (1, 'overdue-invoice-reminders', 'Overdue invoice reminders',
   'Email a polite reminder when an invoice is past due, and a firmer one a week later.',
   'Chasing unpaid invoices by hand is awkward and easy to put off. Every morning this checks your accounting software for invoices past their due date, emails the client a friendly reminder with the payment link, sends a firmer one at seven days and copies you at thirty.',
   'finance', 'easy', 30, 2.00, '{invoices,reminders,accounts-receivable,cash-flow}'::text[], true),
  (2, 'invoice-paid-thank-you', 'Thank clients when an invoice is paid',
   'Mark the invoice paid and email a thank-you as soon as the payment lands.',
   'A quick thank-you when an invoice is paid keeps good clients paying on time. When a card payment arrives, this marks the matching invoice as paid in your accounting software and emails the client a thank-you with their receipt.',
   'finance', 'easy', 20, 0.75, '{invoices,payments,thank-you,cash-flow}', true),
  (3, 'receipt-capture-to-accounting', 'Expense receipts straight into your books',
   'Forward or photograph a receipt and it becomes a categorised expense in your accounting software.',
   'Shoebox receipts cost hours at tax time. Snap or forward each receipt as you get it; the text is read, the supplier, amount and tax are filled in, and the expense is posted to the right account with the image attached.',
   'finance', 'medium', 45, 1.50, '{expenses,receipts,bookkeeping}', true),
  (4, 'monthly-expense-report', 'Monthly expense report by category',
   'Summarise last month''s business expenses by category in a spreadsheet and email it on the first of the month.',
   'Knowing where the money went is the first step to spending less. On the first of each month this pulls last month''s expenses from your books, totals them by category in a spreadsheet and emails you the report.',
   'finance', 'medium', 60, 1.00, '{expenses,reporting,bookkeeping,spreadsheets}', true),
  (5, 'bank-reconciliation-matching', 'Match bank transactions to invoices and expenses',
   'Match each bank feed transaction to its invoice, bill or expense receipt, and flag the ones that need a person.',
   'Reconciling the bank feed line by line is the most tedious part of bookkeeping. This matches each transaction on amount, date and reference, reconciles the certain matches and posts the uncertain ones to a channel for review.',
   'finance', 'hard', 120, 3.00, '{bookkeeping,reconciliation,bank-feed,expenses}', true),
  -- hr
  (6, 'timesheets-to-payroll', 'Approved timesheets into payroll',
   'Send approved staff timesheets to your payroll provider so each payroll run uses the right hours.',
   'Retyping hours from a rostering app into payroll invites mistakes that staff notice first. When a manager approves a timesheet, this sends the hours, overtime and leave to your payroll provider, ready for the next payroll run.',
   'hr', 'hard', 90, 2.50, '{payroll,timesheets,hours,staff}', true),
  (7, 'payroll-run-reminder', 'Payroll run reminder and checklist',
   'Remind whoever runs payroll two days before each payroll date, with a checklist of hours, expenses and new starters.',
   'Late payroll is the fastest way to lose trust. Two days before each payroll date this posts a reminder with a checklist (hours approved, expenses in, new starters and leavers updated) so nothing is missed.',
   'hr', 'easy', 15, 0.50, '{payroll,reminders,checklist,staff}', true),
  (8, 'new-hire-onboarding-emails', 'Onboarding emails for new hires',
   'Welcome each new hire with a sequence of onboarding emails: first-day details, policies and a check-in after week one.',
   'A good first week decides whether a new hire stays. When someone is added as a new starter, this schedules onboarding emails with first-day logistics, the handbook and policies to read, and a check-in from their manager after week one.',
   'hr', 'medium', 60, 1.50, '{onboarding,new-hires,welcome,employees}', true),
  (9, 'new-hire-accounts-setup', 'Set up accounts and tasks for a new hire',
   'When a new hire is added to your HR system, create their email account, invite them to Slack and give their manager an onboarding task list.',
   'Missing logins on day one waste a new hire''s first morning. This creates the new employee''s accounts as soon as the offer is signed, adds them to the right channels and builds the manager''s onboarding checklist.',
   'hr', 'hard', 120, 2.00, '{onboarding,new-hires,accounts,employees}', true),
  (10, 'leave-request-approvals', 'Time-off requests with manager approval',
   'Collect time-off requests with a form, ask the manager to approve in Slack and add approved leave to the team calendar.',
   'Leave requests by text message get lost. Staff fill in one short form; their manager approves or declines with one click in Slack, and approved time off lands on the shared team calendar.',
   'hr', 'medium', 45, 1.00, '{leave,staff,approvals,hr}', true),
  -- marketing
  (11, 'social-media-scheduling', 'Schedule social media posts from a content calendar',
   'Write posts in a spreadsheet content calendar and have them published to Instagram, Facebook and LinkedIn on schedule.',
   'Posting every day by hand eats the time you need for the business. Plan a month of posts in one spreadsheet content calendar; each row is scheduled on your social media channels with its image at the time you chose.',
   'marketing', 'easy', 30, 3.00, '{social-media,scheduling,content-calendar,posts}', true),
  (12, 'blog-post-to-social', 'Share every new blog post on social media',
   'When you publish a blog post, create social media posts with its title, image and link and schedule them across your channels.',
   'A blog post nobody sees does nothing. Each time a post is published, this writes social media posts with its headline, featured image and link and queues them on every channel, with a reminder post a week later.',
   'marketing', 'easy', 20, 1.00, '{social-media,blog,content,posts}', true),
  (13, 'newsletter-welcome-sequence', 'Welcome sequence for newsletter subscribers',
   'Greet new newsletter subscribers with a three-email welcome sequence that introduces your business and best offers.',
   'Subscribers are most interested in the first days after they sign up. This sends a welcome email straight away, your story two days later and your best offer at day five, then hands them to your regular newsletter.',
   'marketing', 'medium', 60, 1.00, '{email-marketing,marketing-campaigns,newsletter,subscribers}', true),
  (14, 'google-review-requests', 'Ask happy customers for a Google review',
   'After a completed visit or sale, text or email the customer a short link to leave a Google review.',
   'Most happy customers would leave a review if asked at the right moment. A few hours after a sale or visit, this texts or emails them a short, personal request with a direct link to your Google reviews page.',
   'marketing', 'easy', 25, 1.00, '{reviews,google-reviews,reputation,customers}', true),
  (15, 'negative-review-alerts', 'Alerts for new low-star reviews',
   'Get a Slack alert within minutes when a one- or two-star review appears, with a drafted reply so you can respond fast.',
   'An unanswered bad review costs more than the review itself. This watches your review profiles, alerts you about every one- or two-star review and drafts a calm public reply for you to edit.',
   'marketing', 'medium', 40, 0.50, '{reviews,reputation,alerts,google-reviews}', true),
  (16, 'lapsed-customer-win-back', 'Win back customers who stopped buying',
   'Find customers who have not bought in 90 days and send them a personalised win-back email campaign with an offer.',
   'Winning back a past customer costs far less than finding a new one. Every week this segments customers whose last order is over 90 days old and sends a personalised win-back email campaign, stopping as soon as they buy.',
   'marketing', 'hard', 120, 2.00, '{email-marketing,marketing-campaigns,win-back,segmentation}', true),
  -- sales
  (17, 'web-form-leads-to-crm', 'Website form leads into your CRM',
   'Add every website contact form submission to your CRM as a new lead and notify the owner.',
   'Leads that sit in an inbox go cold. Every contact form submission becomes a lead in your CRM with its source, and the lead owner is notified so the first reply goes out within the hour.',
   'sales', 'easy', 20, 1.50, '{lead-capture,crm,forms,leads}', true),
  (18, 'facebook-lead-ads-to-crm', 'Facebook lead ads into your CRM with instant follow-up',
   'Send Facebook lead ad sign-ups to your CRM as leads and email them within a minute, while they still remember you.',
   'Leads from ads forget you within hours. Each Facebook lead ad sign-up is added to your CRM as a lead with the campaign it came from and gets a personal follow-up email in under a minute.',
   'sales', 'medium', 40, 2.00, '{lead-capture,crm,facebook,leads}', true),
  (19, 'lead-scoring-and-routing', 'Score new leads and route them to the right salesperson',
   'Score each new CRM lead on company size, budget and source, then assign hot leads to a salesperson and nurture the rest.',
   'Salespeople waste hours on leads that will never buy. Each new lead in the CRM is scored on fit and intent, hot leads are assigned round-robin to the right salesperson and the rest go to a nurture sequence.',
   'sales', 'hard', 150, 3.00, '{leads,crm,lead-scoring,routing}', true),
  (20, 'proposal-follow-up', 'Follow up on unsigned proposals',
   'When a proposal has been viewed but not signed for three days, send a follow-up email and create a call task.',
   'Deals stall quietly after the proposal goes out. When a proposal has been opened but not signed for three days, this sends a follow-up email and adds a call task on the deal for the salesperson.',
   'sales', 'medium', 45, 1.50, '{proposals,follow-up,quotes,deals}', true),
  (21, 'quote-follow-up-reminders', 'Quote follow-up reminders',
   'Get a reminder to follow up on every quote that has not been accepted within a week, with the client''s details.',
   'Most quotes are won on the follow-up, and most follow-ups are forgotten. A week after a quote is sent without an answer, this reminds you with the client, the amount and a ready follow-up email.',
   'sales', 'easy', 15, 1.00, '{quotes,follow-up,deals,proposals}', true),
  -- customer support
  (22, 'support-ticket-triage', 'Triage support emails with AI',
   'Read each incoming support email, tag the ticket by topic and urgency with AI, and route it to the right helpdesk queue.',
   'Sorting the support inbox by hand delays every answer. Each new support ticket is read by a language model, tagged by topic, urgency and sentiment, and routed to the right helpdesk queue and agent.',
   'customer-support', 'hard', 150, 4.00, '{support-tickets,triage,helpdesk,ai}', true),
  (23, 'urgent-ticket-slack-alerts', 'Urgent support tickets to Slack',
   'Post urgent or VIP support tickets to a Slack channel so someone picks them up within minutes.',
   'An urgent ticket waiting in a queue is a customer about to leave. Tickets marked urgent, or from your top customers, are posted to a Slack channel with a link, and a reminder follows if nobody claims it in fifteen minutes.',
   'customer-support', 'easy', 15, 0.75, '{support-tickets,alerts,slack,helpdesk}', true),
  (24, 'faq-auto-replies', 'Instant answers to common support questions',
   'Reply straight away to support tickets that match a frequently asked question, with the answer from your help centre.',
   'Half of all support tickets ask the same ten questions. This recognises tickets that match a help centre FAQ article, replies at once with the answer and closes the ticket unless the customer writes back.',
   'customer-support', 'medium', 60, 3.00, '{support-tickets,faq,auto-reply,helpdesk}', true),
  (25, 'support-satisfaction-survey', 'Satisfaction survey when a ticket is closed',
   'Send a one-question satisfaction survey when a support ticket is solved and log the score in a spreadsheet.',
   'You cannot improve support you do not measure. When a support ticket is solved, the customer gets a one-question satisfaction survey; scores and comments land in a spreadsheet and low scores reopen the ticket.',
   'customer-support', 'easy', 20, 0.50, '{support-tickets,surveys,csat,helpdesk}', true),
  -- operations
  (26, 'appointment-reminders-sms', 'Appointment reminders by text message',
   'Text each client a reminder 24 hours before their appointment with a link to reschedule, to cut no-shows.',
   'No-shows are lost income you cannot resell. A day before each appointment, this texts the client the time, the address and a link to reschedule; most clinics see no-shows drop by a third.',
   'operations', 'easy', 20, 2.00, '{appointments,reminders,sms,no-shows}', true),
  (27, 'missed-appointment-rebooking', 'Rebook missed appointments',
   'When a client misses an appointment, text them a booking link and remind your front desk to call if they do not rebook.',
   'A missed appointment is often a client about to drift away. When an appointment is marked as a no-show, this texts the client a booking link to rebook, and asks the front desk to call if they have not rebooked in two days.',
   'operations', 'medium', 40, 1.50, '{appointments,no-shows,booking,sms}', true),
  (28, 'low-stock-purchase-orders', 'Draft purchase orders when stock runs low',
   'When inventory for a product falls below its reorder point, draft a purchase order to the supplier for approval.',
   'Running out of a best-seller costs sales; over-ordering ties up cash. When stock of a product falls below its reorder point, this drafts a purchase order to its supplier with the usual quantity and asks you to approve it.',
   'operations', 'hard', 120, 2.50, '{inventory,purchase-orders,suppliers,stock}', true),
  (29, 'client-onboarding-kickoff', 'Kick off every new client the same way',
   'When a deal is won, send the client a welcome pack, create their project and book the kickoff call.',
   'The first week with a new client sets the tone for the whole engagement. When a deal is marked won, this emails the welcome pack, creates the client project from your template and sends a link to book the kickoff call.',
   'operations', 'medium', 60, 2.00, '{onboarding,clients,welcome-pack,kickoff}', true),
  (30, 'daily-sales-summary', 'Daily sales summary on your phone',
   'Every evening, get the day''s sales, refunds and top products from your point of sale by text or Slack.',
   'Owners should not have to log in to know how the day went. At closing time this totals the day''s sales, refunds and best-selling products from your point of sale and sends the sales summary to your phone.',
   'operations', 'easy', 20, 0.50, '{reporting,kpi,sales-summary,point-of-sale}', true),
  -- ecommerce
  (31, 'low-stock-alerts', 'Low stock alerts',
   'Get an email or Slack alert when any product''s inventory drops below the level you set, so you never run out of stock.',
   'Selling out of a product you could have restocked is the most avoidable lost sale. When any product''s inventory drops below the level you set, you get an alert with the stock left and the recent sales rate.',
   'ecommerce', 'easy', 15, 1.00, '{inventory,stock,alerts,shopify}', true),
  (32, 'multichannel-inventory-sync', 'Keep inventory in sync across sales channels',
   'Sync stock levels between Shopify, Amazon and your spreadsheet so a sale on one channel updates inventory everywhere.',
   'Overselling on one channel because another sold the last unit brings cancellations and bad reviews. Each sale or restock updates the inventory on every sales channel within a minute, with a daily stock check for drift.',
   'ecommerce', 'hard', 180, 3.00, '{inventory,stock,multichannel,shopify}', true),
  (33, 'abandoned-cart-recovery', 'Abandoned cart recovery emails',
   'Email shoppers who leave items in their cart, with a reminder after an hour and a discount after a day.',
   'Seven in ten online carts are abandoned, and many shoppers only got distracted. This emails a reminder with the cart contents after an hour and a small discount after a day, and stops when they check out.',
   'ecommerce', 'medium', 45, 1.00, '{abandoned-cart,email-marketing,marketing-campaigns,checkout}', true),
  (34, 'order-shipping-updates', 'Shipping updates for every order',
   'Email and text customers when their order ships and when it is out for delivery, with the tracking link.',
   '"Where is my order?" is the most common support question in online retail. Each order gets a shipping confirmation with the tracking link and a text when it is out for delivery.',
   'ecommerce', 'easy', 30, 2.00, '{orders,shipping,tracking,notifications}', true),
  (35, 'product-review-requests', 'Product review requests after delivery',
   'Ask customers for a product review a week after their order is delivered, with a direct link to the review form.',
   'Product reviews sell products. A week after delivery, when the customer has used it, this emails a request for a product review with star buttons that open the review form.',
   'ecommerce', 'easy', 20, 0.50, '{reviews,product-reviews,orders,customers}', true),
  -- productivity
  (36, 'meeting-notes-to-tasks', 'Meeting notes into tasks',
   'Turn recorded meeting notes into action items with owners and due dates in your task manager.',
   'Action items agreed in meetings vanish by Friday. After each recorded meeting, the transcript is summarised, action items are extracted with an owner and due date, and each becomes a task in your task manager.',
   'productivity', 'medium', 45, 1.50, '{meetings,tasks,notes,ai}', true),
  (37, 'email-attachments-to-drive', 'Save email attachments to cloud storage',
   'Save attachments from chosen senders into the right Google Drive folder, renamed with the date and sender.',
   'Hunting for last quarter''s contract in an inbox wastes time. Attachments from the senders you choose are saved to the right cloud storage folder, renamed with the date and sender, the moment the email arrives.',
   'productivity', 'easy', 15, 1.00, '{gmail,inbox,attachments,file-storage}', true),
  (38, 'weekly-kpi-report', 'Weekly KPI report in your inbox',
   'Collect sales, leads and cash figures from your tools into a spreadsheet and email a weekly KPI report every Monday.',
   'Decisions made without numbers are guesses. Every Monday this collects last week''s sales, new leads and cash position from your tools into a spreadsheet dashboard and emails you the KPI report.',
   'productivity', 'medium', 90, 2.00, '{reporting,kpi,sales-summary,dashboards}', true),
  (39, 'ai-inbox-sorting', 'Sort your inbox with AI labels and drafts',
   'Label each incoming email by type with AI, archive the noise and draft replies to routine requests for you to approve.',
   'An owner''s inbox mixes customers, suppliers, invoices and spam. Each incoming email is labelled by type with AI, newsletters and notifications are archived, and routine requests get a drafted reply waiting for you.',
   'productivity', 'hard', 120, 4.00, '{gmail,inbox,ai,labels}', true),
  -- drafts: not yet published, visible to admins only
  (40, 'invoice-from-tracked-time', 'Invoice clients from tracked time',
   'At month end, turn each client''s billable tracked hours into a draft invoice in your accounting software.',
   'Time not invoiced is work done for free. On the last day of the month this totals each client''s billable hours from your time tracker and creates a draft invoice for you to check and send.',
   'finance', 'hard', 150, 2.00, '{invoices,time-tracking,billing}', false),
  (41, 'instagram-dm-leads-to-crm', 'Instagram DM leads into your CRM',
   'Capture leads from Instagram direct messages with a chat flow and add them to your CRM.',
   'Enquiries arrive by Instagram direct message and get lost among comments. A short chat flow asks for the name, email and what they need, then adds the lead to your CRM.',
   'sales', 'hard', 120, 1.50, '{lead-capture,crm,instagram,leads}', false),
  (42, 'order-status-chatbot', 'Order status chatbot',
   'Answer "where is my order?" questions in website chat with live tracking from your store.',
   'Customers asking for order status do not need an agent. The website chatbot asks for the order number and email, looks up the order and replies with its shipping status and tracking link.',
   'customer-support', 'hard', 180, 3.00, '{chatbot,orders,shipping,tracking}', false),
  (43, 'supplier-bill-approvals', 'Supplier bill approvals',
   'Route each supplier bill to the right approver and schedule payment once it is approved.',
   'Unapproved bills lead to late fees and angry suppliers. Each supplier bill is routed to its budget owner for approval and scheduled for payment on its due date once approved.',
   'finance', 'medium', 60, 1.50, '{bills,approvals,accounts-payable,bookkeeping}', false)
) as a (
  n, slug, title, summary, description, category, difficulty,
  setup_minutes, hours_saved_per_week, tags, published
);

-- ============================================================================
-- Catalogue: automation_tools
-- ============================================================================
-- Each tool once, with its address and pricing; then which automations need
-- which tools (required) and which merely help (optional), in display order.
insert into public.automation_tools (id, automation_id, name, url, required, pricing_note)
with tool (name, url, pricing_note) as (
  values
    ('Airtable',               'https://www.airtable.com',             'Free plan; Team from $20/user/month'),
    ('Amazon Seller Central',  'https://sellercentral.amazon.com',     'Professional plan $39.99/month'),
    ('Asana',                  'https://asana.com',                    'Free for up to 10 users; paid from $10.99/user/month'),
    ('BambooHR',               'https://www.bamboohr.com',             'Quote-based, priced per employee'),
    ('BILL',                   'https://www.bill.com',                 'From $45/user/month'),
    ('Buffer',                 'https://buffer.com',                   'Free for 3 channels; Essentials from $6/channel/month'),
    ('Calendly',               'https://calendly.com',                 'Free plan; Standard from $10/user/month'),
    ('Canva',                  'https://www.canva.com',                'Free plan; Pro from $15/month'),
    ('Deputy',                 'https://www.deputy.com',               'From $4.50/user/month'),
    ('Dext',                   'https://dext.com',                     'From $24/month'),
    ('Facebook Lead Ads',      'https://www.facebook.com/business',    'Free; you pay for the ads'),
    ('Gmail',                  'https://mail.google.com',              'Free; Google Workspace from $7/user/month'),
    ('Google Business Profile','https://business.google.com',          'Free'),
    ('Google Calendar',        'https://calendar.google.com',          'Free with a Google account'),
    ('Google Drive',           'https://drive.google.com',             'Free 15 GB; more with Google One or Workspace'),
    ('Google Sheets',          'https://sheets.google.com',            'Free with a Google account'),
    ('Google Workspace Admin', 'https://admin.google.com',             'Included with Google Workspace'),
    ('Gusto',                  'https://gusto.com',                    'From $49/month plus $6/person'),
    ('Harvest',                'https://www.getharvest.com',           'Free for one seat; Pro $11/seat/month'),
    ('HubSpot CRM',            'https://www.hubspot.com',              'Free CRM; Starter from $20/month'),
    ('Instagram',              'https://www.instagram.com',            'Free'),
    ('Klaviyo',                'https://www.klaviyo.com',              'Free up to 250 contacts; paid from $20/month'),
    ('Looker Studio',          'https://lookerstudio.google.com',      'Free'),
    ('Mailchimp',              'https://mailchimp.com',                'Free up to 500 contacts; paid from $13/month'),
    ('Make',                   'https://www.make.com',                 'Free for 1,000 operations/month; paid from $9/month'),
    ('ManyChat',               'https://manychat.com',                 'Free plan; Pro from $15/month'),
    ('Notion',                 'https://www.notion.so',                'Free plan; Plus from $10/user/month'),
    ('OpenAI',                 'https://platform.openai.com',          'Pay per use; a few cents per hundred messages'),
    ('Otter.ai',               'https://otter.ai',                     'Free plan; Pro from $8.33/month'),
    ('PandaDoc',               'https://www.pandadoc.com',             'From $19/user/month'),
    ('Pipedrive',              'https://www.pipedrive.com',            'From $14/user/month'),
    ('QuickBooks Online',      'https://quickbooks.intuit.com',        'From $30/month'),
    ('ShipStation',            'https://www.shipstation.com',          'From $9.99/month'),
    ('Shopify',                'https://www.shopify.com',              'From $39/month'),
    ('Slack',                  'https://slack.com',                    'Free plan; Pro from $8.75/user/month'),
    ('Square',                 'https://squareup.com',                 'Free point of sale; pay per transaction'),
    ('Stripe',                 'https://stripe.com',                   'No monthly fee; pay per transaction'),
    ('Tidio',                  'https://www.tidio.com',                'Free plan; paid from $29/month'),
    ('Twilio',                 'https://www.twilio.com',               'Pay per message, about $0.008 per SMS in the US'),
    ('Typeform',               'https://www.typeform.com',             'Free for 10 responses/month; paid from $25/month'),
    ('WordPress',              'https://wordpress.org',                'Free; hosting extra'),
    ('Xero',                   'https://www.xero.com',                 'From $15/month'),
    ('Zapier',                 'https://zapier.com',                   'Free for 100 tasks/month; paid from $19.99/month'),
    ('Zendesk',                'https://www.zendesk.com',              'From $19/agent/month')
),
uses (n, required, optional) as (
  values
    (1,  '{QuickBooks Online,Zapier,Gmail}'::text[],                         '{Slack}'::text[]),
    (2,  '{Stripe,QuickBooks Online,Zapier}',                                '{Gmail}'),
    (3,  '{Dext,Xero}',                                                      '{Google Drive}'),
    (4,  '{QuickBooks Online,Google Sheets,Zapier}',                         '{Gmail}'),
    (5,  '{Xero,Make}',                                                      '{OpenAI,Slack}'),
    (6,  '{Deputy,Gusto,Make}',                                              '{Slack}'),
    (7,  '{Google Calendar,Zapier,Slack}',                                   '{Asana}'),
    (8,  '{BambooHR,Gmail,Zapier}',                                          '{Notion}'),
    (9,  '{BambooHR,Google Workspace Admin,Slack,Make}',                     '{Asana}'),
    (10, '{Typeform,Slack,Google Calendar,Zapier}',                          '{}'),
    (11, '{Google Sheets,Buffer,Zapier}',                                    '{Canva}'),
    (12, '{WordPress,Buffer,Zapier}',                                        '{Canva}'),
    (13, '{Mailchimp}',                                                      '{Typeform}'),
    (14, '{Square,Twilio,Zapier,Google Business Profile}',                   '{Google Sheets}'),
    (15, '{Google Business Profile,Make,Slack}',                             '{OpenAI}'),
    (16, '{Shopify,Klaviyo}',                                                '{Google Sheets}'),
    (17, '{Typeform,HubSpot CRM,Zapier}',                                    '{Slack}'),
    (18, '{Facebook Lead Ads,HubSpot CRM,Zapier,Gmail}',                     '{Twilio}'),
    (19, '{HubSpot CRM,Make,OpenAI}',                                        '{Slack}'),
    (20, '{PandaDoc,Pipedrive,Zapier}',                                      '{Gmail}'),
    (21, '{Pipedrive,Zapier,Gmail}',                                         '{}'),
    (22, '{Zendesk,OpenAI,Make}',                                            '{Slack}'),
    (23, '{Zendesk,Slack,Zapier}',                                           '{}'),
    (24, '{Zendesk,OpenAI,Make}',                                            '{Notion}'),
    (25, '{Zendesk,Typeform,Google Sheets,Zapier}',                          '{}'),
    (26, '{Calendly,Twilio,Zapier}',                                         '{Google Calendar}'),
    (27, '{Calendly,Twilio,Zapier}',                                         '{Slack}'),
    (28, '{Shopify,Airtable,Make,Gmail}',                                    '{QuickBooks Online}'),
    (29, '{Pipedrive,Asana,Calendly,Zapier}',                                '{PandaDoc}'),
    (30, '{Square,Zapier,Slack}',                                            '{Google Sheets}'),
    (31, '{Shopify,Zapier,Slack}',                                           '{Gmail}'),
    (32, '{Shopify,Amazon Seller Central,Make,Google Sheets}',               '{}'),
    (33, '{Shopify,Klaviyo}',                                                '{}'),
    (34, '{Shopify,ShipStation,Twilio}',                                     '{Klaviyo}'),
    (35, '{Shopify,ShipStation,Klaviyo}',                                    '{}'),
    (36, '{Otter.ai,Asana,Zapier}',                                          '{OpenAI}'),
    (37, '{Gmail,Google Drive,Zapier}',                                      '{}'),
    (38, '{Google Sheets,Looker Studio,Zapier,QuickBooks Online}',           '{HubSpot CRM}'),
    (39, '{Gmail,OpenAI,Make}',                                              '{}'),
    (40, '{Harvest,QuickBooks Online,Make}',                                 '{}'),
    (41, '{Instagram,ManyChat,HubSpot CRM}',                                 '{Zapier}'),
    (42, '{Tidio,Shopify,ShipStation}',                                      '{}'),
    (43, '{BILL,Xero,Slack}',                                                '{}')
)
select
  pg_temp.seed_uuid('b2', uses.n, used.position::integer),
  pg_temp.seed_uuid('b1', 0, uses.n),
  tool.name, tool.url, used.required, tool.pricing_note
from uses
cross join lateral (
  select name, true as required, position
  from unnest(uses.required) with ordinality as r (name, position)
  union all
  select name, false, cardinality(uses.required) + position
  from unnest(uses.optional) with ordinality as o (name, position)
) as used
join tool on tool.name = used.name;

-- ============================================================================
-- Catalogue: implementation_steps
-- ============================================================================
-- Every guide follows the same outline, longer for harder automations:
--   easy    connect, trigger, action, test                       (4 steps)
--   medium  connect, trigger, action, filters, test              (5 steps)
--   hard    connect, trigger, action, filters, failures, test    (6 steps)
-- The trigger and action steps carry each automation's own instructions; each
-- step's estimate is its share of the automation's setup_minutes.
insert into public.implementation_steps (
  id, automation_id, step_number, title, instructions, estimated_minutes
)
with guide (n, trigger, action) as (
  values
    (1,  'Schedule a daily run at 8:00 and search QuickBooks Online for open invoices whose due date has passed.',
         'Email each client a friendly reminder with the invoice number, amount due and payment link; a second path sends a firmer reminder at seven days overdue and copies you at thirty.'),
    (2,  'Start when Stripe reports a successful payment, and find the QuickBooks invoice with the same number.',
         'Record the payment against the invoice so it shows as paid, then email the client a short thank-you with the receipt attached.'),
    (3,  'Turn on Dext''s email-in address and mobile upload, and forward two or three recent receipts as samples.',
         'Set the default account and tax rate per supplier in Dext, then publish the extracted expenses to Xero with the receipt image attached.'),
    (4,  'Schedule a run at 7:00 on the first day of each month that fetches last month''s expenses from QuickBooks Online.',
         'Write one row per expense into a new monthly tab in Google Sheets, add totals by category with a pivot table and email the link to yourself.'),
    (5,  'Start on each new transaction in the Xero bank feed.',
         'Search open invoices, bills and receipts for the same amount within five days; reconcile exact matches and post the rest to Slack with the best candidates.'),
    (6,  'Start when a manager approves a timesheet in Deputy.',
         'Send the approved hours, overtime and leave to the matching employee''s next payroll in Gusto, and note any employee Gusto does not recognise.'),
    (7,  'Schedule the automation two working days before each payroll date in Google Calendar.',
         'Post the payroll checklist to the owner in Slack: hours approved, expenses submitted, new starters and leavers updated, pay rates checked.'),
    (8,  'Start when a new employee record with a start date is created in BambooHR.',
         'Schedule the onboarding emails from Gmail: first-day logistics three days before the start date, handbook and policies on day one, manager check-in at the end of week one.'),
    (9,  'Start when an offer is marked signed in BambooHR.',
         'Create the Google Workspace account with the company naming rule, invite the person to the right Slack channels and build the manager''s onboarding task list.'),
    (10, 'Start on each new submission of the Typeform time-off form (dates, type of leave, note).',
         'Send the request to the employee''s manager in Slack with Approve and Decline buttons; on approval, add the leave to the shared Google Calendar and tell the employee.'),
    (11, 'Start on each new row in the content calendar sheet whose status is Ready, with its text, image link and date.',
         'Create a scheduled post in Buffer for every channel listed on the row, at the chosen time, and set the row''s status to Scheduled.'),
    (12, 'Start when a post is published on your WordPress site.',
         'Create posts in Buffer with the headline, featured image and link for each channel, one now and a reminder a week later.'),
    (13, 'Use Mailchimp''s "joins the audience" trigger for the newsletter audience, optionally tagged by the Typeform that brought them.',
         'Build the three emails of the welcome journey: welcome now, your story at day two, best offer at day five; then move subscribers to the regular newsletter.'),
    (14, 'Start when a payment is completed in Square, three hours later, with the customer''s phone or email.',
         'Text the customer with Twilio (or email when there is no phone) a short thank-you and the direct link to write a Google review.'),
    (15, 'Check your Google Business Profile for new reviews every fifteen minutes.',
         'For reviews of one or two stars, post the review to Slack with a drafted public reply for you to edit and publish.'),
    (16, 'Schedule a weekly run that builds a Klaviyo segment of customers whose last Shopify order is over 90 days old.',
         'Send the segment a three-email win-back flow with a personalised product pick and an offer, and exit anyone who places an order.'),
    (17, 'Start on each new Typeform contact form submission from your website.',
         'Create or update the contact in HubSpot CRM as a lead with the source "Website form", assign the owner and notify them.'),
    (18, 'Start on each new lead from your Facebook Lead Ads forms.',
         'Create the contact in HubSpot CRM with the campaign and ad name, then email the lead a personal follow-up from the owner''s Gmail within a minute.'),
    (19, 'Start when a new contact is created in HubSpot CRM with the lifecycle stage Lead.',
         'Score the lead on company size, budget, source and message (with OpenAI for the message), write the score to HubSpot, assign hot leads round-robin and enrol the rest in nurture.'),
    (20, 'Start when a PandaDoc proposal has been viewed but not completed for three days.',
         'Send the client a follow-up email referring to the proposal and create a call task on the Pipedrive deal for its owner.'),
    (21, 'Start when a Pipedrive deal has been in the Quote sent stage for seven days.',
         'Email yourself the client, the quote amount and a ready follow-up message you can send with one click.'),
    (22, 'Start on each new ticket created in Zendesk from the support inbox.',
         'Ask OpenAI to classify the ticket by topic, urgency and sentiment from your list of labels, then set the tags, priority and group in Zendesk.'),
    (23, 'Start when a Zendesk ticket is created or updated with priority Urgent, or from an organisation tagged VIP.',
         'Post the ticket''s subject, customer and link to the #support-urgent Slack channel, and post a reminder if it is still unassigned after fifteen minutes.'),
    (24, 'Start on each new Zendesk ticket in the general queue.',
         'Compare the ticket with your help centre FAQ articles using OpenAI; when one clearly answers it, reply with the answer and link and set the ticket to pending.'),
    (25, 'Start when a Zendesk ticket changes to Solved.',
         'Email the customer a one-question Typeform survey, add each answer to Google Sheets, and reopen the ticket when the score is two or lower.'),
    (26, 'Start 24 hours before each Calendly event, with the invitee''s name and phone number.',
         'Text the client with Twilio: the time, the address and the Calendly link to reschedule or cancel.'),
    (27, 'Start when a Calendly event is marked as a no-show.',
         'Text the client a friendly note with your booking link; two days later, if they have not rebooked, ask the front desk to call them.'),
    (28, 'Check Shopify inventory levels every hour against the reorder points kept in Airtable.',
         'Draft a purchase order in Airtable for each product below its reorder point, grouped by supplier, and email it for approval before it is sent.'),
    (29, 'Start when a deal is marked won in Pipedrive.',
         'Email the welcome pack, create the client project in Asana from your onboarding template and send the Calendly link to book the kickoff call.'),
    (30, 'Schedule a run every day at closing time that fetches the day''s payments and refunds from Square.',
         'Total sales, refunds and the five best-selling items and post the summary to Slack (or text it to your phone).'),
    (31, 'Start when a Shopify product variant''s inventory quantity falls below the alert level you set.',
         'Post an alert to Slack with the product, the stock left and the last 30 days of sales.'),
    (32, 'Start on each Shopify or Amazon order, refund and inventory adjustment.',
         'Update the stock level for the same SKU on the other channel and in the Google Sheets master list; a nightly run compares all three and reports any drift.'),
    (33, 'Use Klaviyo''s "Checkout started" trigger for shoppers who leave without an order.',
         'Build the flow: a reminder with the cart contents after an hour, a 10% discount after a day, and exit on purchase.'),
    (34, 'Start when ShipStation marks a Shopify order as shipped, and again when the carrier reports it out for delivery.',
         'Email the shipping confirmation with the tracking link, and text the customer with Twilio when it is out for delivery.'),
    (35, 'Start seven days after ShipStation reports an order delivered.',
         'Send a Klaviyo email asking for a product review, with star buttons that open the review form for each product in the order.'),
    (36, 'Start when Otter.ai finishes the transcript of a recorded meeting.',
         'Extract action items with an owner and due date from the summary, and create each as a task in Asana in the meeting''s project.'),
    (37, 'Start on each new Gmail email with an attachment from the senders or labels you choose.',
         'Save each attachment to the matching Google Drive folder, renamed as date, sender and original name.'),
    (38, 'Schedule a run every Monday at 6:00 that fetches last week''s figures from QuickBooks Online and your other tools.',
         'Append the week''s sales, new leads and cash position to the KPI sheet, refresh the Looker Studio dashboard and email its link.'),
    (39, 'Start on each new email arriving in the Gmail inbox.',
         'Ask OpenAI for the email''s type (customer, supplier, invoice, newsletter, notification), apply the label, archive newsletters and notifications, and draft replies to routine requests.'),
    (40, 'Schedule a run on the last working day of the month that fetches billable hours per client from Harvest.',
         'Create a draft invoice per client in QuickBooks Online with one line per project and the hours at each rate.'),
    (41, 'Start when someone sends an Instagram direct message with a keyword, via a ManyChat flow.',
         'Ask for name, email and what they need in the chat, then create the lead in HubSpot CRM with the source Instagram.'),
    (42, 'Start when a website visitor asks about an order in the Tidio chat.',
         'Ask for the order number and email, look the order up in Shopify and ShipStation, and reply with its status and tracking link.'),
    (43, 'Start when a supplier bill is entered or emailed into BILL.',
         'Route the bill to its budget owner for approval in Slack; once approved, schedule payment for its due date and sync it to Xero.')
),
outline (difficulty, step_number, kind, share) as (
  values
    ('easy',   1, 'connect',  0.20), ('easy',   2, 'trigger', 0.20), ('easy',   3, 'action', 0.40),
    ('easy',   4, 'test',     0.20),
    ('medium', 1, 'connect',  0.15), ('medium', 2, 'trigger', 0.15), ('medium', 3, 'action', 0.35),
    ('medium', 4, 'filters',  0.20), ('medium', 5, 'test',    0.15),
    ('hard',   1, 'connect',  0.10), ('hard',   2, 'trigger', 0.15), ('hard',   3, 'action', 0.30),
    ('hard',   4, 'filters',  0.15), ('hard',   5, 'failures', 0.15), ('hard',  6, 'test',   0.15)
)
select
  pg_temp.seed_uuid('b3', guide.n, outline.step_number),
  a.id,
  outline.step_number,
  case outline.kind
    when 'connect'  then 'Connect your accounts'
    when 'trigger'  then 'Set up the trigger'
    when 'action'   then 'Configure the action'
    when 'filters'  then 'Add filters and exceptions'
    when 'failures' then 'Handle failures'
    when 'test'     then 'Test it and switch it on'
  end,
  case outline.kind
    when 'connect' then
      'Sign in to ' || tools.names || ' and grant the permissions asked for. Use a shared '
      || 'business login rather than a personal one, so the automation keeps working when people change roles.'
    when 'trigger' then
      guide.trigger || ' Pick a recent real example so the next steps have sample data to map.'
    when 'action' then
      guide.action || ' Map each field from the sample and check the wording or values it produces.'
    when 'filters' then
      'Add a filter so the automation skips test records, internal addresses and anything already '
      || 'handled, and mark each record it has processed so nothing is done twice.'
    when 'failures' then
      'Send error notifications to a shared inbox or Slack channel and let failed runs retry. '
      || 'Write down who fixes it when it stops, and where its settings live.'
    when 'test' then
      'Run it once with a real record and check the result in every tool. Then switch it on '
      || 'and review its run history after the first week.'
  end,
  greatest(5, round(a.setup_minutes * outline.share / 5) * 5)::integer
from guide
join public.automations a on a.id = pg_temp.seed_uuid('b1', 0, guide.n)
join outline on outline.difficulty = a.difficulty
cross join lateral (
  -- 'A, B and C'
  select regexp_replace(string_agg(t.name, ', ' order by t.id), ', ([^,]+)$', ' and \1') as names
  from public.automation_tools t
  where t.automation_id = a.id and t.required
) as tools;

-- ============================================================================
-- Catalogue: step_media
-- ============================================================================
-- Every step has a screenshot; trigger steps add a gif of where the setting
-- lives; medium and hard guides open with a walkthrough video; hard guides
-- end with a go-live checklist. Media sit under example.com (placeholders).
insert into public.step_media (id, step_id, media_type, url, caption, position)
select
  pg_temp.seed_uuid('b4', guide.n, s.step_number * 100 + m.position),
  s.id, m.media_type, m.url, m.caption, m.position
from public.implementation_steps s
join public.automations a on a.id = s.automation_id
cross join lateral (
  -- the automation's catalogue number (the last digits of its id), and its last step
  select
    right(a.id::text, 6)::integer as n,
    (select max(x.step_number) from public.implementation_steps x where x.automation_id = a.id) as last_step
) as guide
cross join lateral (
  values
    (1, 'image', 'https://media.example.com/guides/' || a.slug || '/step-' || s.step_number || '.png',
     'Screenshot: ' || lower(s.title), true),
    (2, 'gif', 'https://media.example.com/guides/' || a.slug || '/step-' || s.step_number || '-trigger.gif',
     'Where to find the trigger settings', s.step_number = 2),
    (2, 'video', 'https://media.example.com/guides/' || a.slug || '/walkthrough.mp4',
     'Walkthrough of the whole setup (video)', s.step_number = 1 and a.difficulty <> 'easy'),
    (2, 'document', 'https://media.example.com/guides/' || a.slug || '/go-live-checklist.pdf',
     'Go-live checklist (PDF)', s.step_number = guide.last_step and a.difficulty = 'hard')
) as m (position, media_type, url, caption, wanted)
where m.wanted;

-- ============================================================================
-- Questionnaire: sessions and responses
-- ============================================================================
-- Sam abandoned a first attempt and completed a second; Priya completed hers;
-- Leo is half-way through. Maya (the admin) never took it.
insert into public.questionnaire_sessions (
  id, user_id, status, current_step, ai_context, started_at, completed_at, created_at, updated_at
)
values
  ('a2000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000002',
   'abandoned', 2, '{}',
   '2025-07-28 18:45:00+00', null, '2025-07-28 18:45:00+00', '2025-07-28 18:49:00+00'),
  ('a2000000-0000-4000-8000-000000000002', 'a1000000-0000-4000-8000-000000000002',
   'completed', 8,
   '{"summary": "Solo bakery selling at a market stall and to three wholesale cafés; admin happens late at night.",
     "priorities": ["getting paid on time", "reviews and repeat customers", "less time on social media"],
     "suggested_categories": ["finance", "marketing"],
     "avoid": ["anything that needs code"]}',
   '2025-08-04 10:12:00+00', '2025-08-04 10:31:00+00', '2025-08-04 10:12:00+00', '2025-08-04 10:31:00+00'),
  ('a2000000-0000-4000-8000-000000000003', 'a1000000-0000-4000-8000-000000000003',
   'completed', 8,
   '{"summary": "Physiotherapy clinic with four part-time physiotherapists and a receptionist; no-shows and payroll are the pain points.",
     "priorities": ["fewer missed appointments", "payroll from timesheets", "more Google reviews"],
     "suggested_categories": ["operations", "hr", "marketing"]}',
   '2025-08-05 07:58:00+00', '2025-08-05 08:20:00+00', '2025-08-05 07:58:00+00', '2025-08-05 08:20:00+00'),
  ('a2000000-0000-4000-8000-000000000004', 'a1000000-0000-4000-8000-000000000004',
   'in_progress', 4,
   '{"summary": "Wholesale and online store, 40 staff, sells on Shopify and Amazon."}',
   '2025-08-14 13:25:00+00', null, '2025-08-14 13:25:00+00', '2025-08-14 13:41:00+00');

-- Answers in the order they were given (the number is the last digits of the id).
insert into public.questionnaire_responses (id, session_id, user_id, question_key, answer, created_at, updated_at)
select
  pg_temp.seed_uuid('a3', r.session, r.n),
  s.id, s.user_id, r.question_key, r.answer,
  s.started_at + r.n * interval '2 minutes', s.started_at + r.n * interval '2 minutes'
from (values
  (1, 1, 'business_type',      '"Bakery"'::jsonb),
  (2, 1, 'business_type',      '"Bakery: market stall and wholesale to cafés"'),
  (2, 2, 'team_size',          '"solo"'),
  (2, 3, 'weekly_admin_hours', '8'),
  (2, 4, 'time_sinks',         '["chasing invoices", "posting on Instagram", "bookkeeping"]'),
  (2, 5, 'current_tools',      '["Square", "Instagram", "Gmail", "Google Sheets", "QuickBooks Online"]'),
  (2, 6, 'monthly_budget',     '{"currency": "USD", "max": 30}'),
  (2, 7, 'tech_comfort',       '"beginner"'),
  (2, 8, 'goals',              '["get paid faster", "more repeat customers"]'),
  (3, 1, 'business_type',      '"Physiotherapy clinic"'),
  (3, 2, 'team_size',          '"small-team"'),
  (3, 3, 'weekly_admin_hours', '15'),
  (3, 4, 'time_sinks',         '["appointment no-shows", "payroll for part-time staff", "answering the same questions"]'),
  (3, 5, 'current_tools',      '["Calendly", "Gmail", "Google Calendar", "Xero", "Slack", "Twilio"]'),
  (3, 6, 'monthly_budget',     '{"currency": "USD", "max": 150}'),
  (3, 7, 'tech_comfort',       '"intermediate"'),
  (3, 8, 'goals',              '["fewer missed appointments", "simpler payroll", "more Google reviews"]'),
  (4, 1, 'business_type',      '"Wholesale and online store"'),
  (4, 2, 'team_size',          '"large-team"'),
  (4, 3, 'weekly_admin_hours', '60')
) as r (session, n, question_key, answer)
join public.questionnaire_sessions s on s.id = pg_temp.seed_uuid('a2', 0, r.session);

-- ============================================================================
-- Discoveries: weekly_discoveries and discovered_automations
-- ============================================================================
-- week_of is always a Monday. Sam has two weeks (the latest not yet viewed),
-- Priya one, and Leo's first is still being generated.
insert into public.weekly_discoveries (id, user_id, week_of, status, generated_at, viewed_at, created_at, updated_at)
values
  ('c1000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000002', '2025-08-11',
   'ready', '2025-08-11 06:00:00+00', '2025-08-11 19:40:00+00', '2025-08-11 05:58:00+00', '2025-08-11 19:40:00+00'),
  ('c1000000-0000-4000-8000-000000000002', 'a1000000-0000-4000-8000-000000000002', '2025-08-18',
   'ready', '2025-08-18 06:00:00+00', null, '2025-08-18 05:58:00+00', '2025-08-18 06:00:00+00'),
  ('c1000000-0000-4000-8000-000000000003', 'a1000000-0000-4000-8000-000000000003', '2025-08-18',
   'ready', '2025-08-18 06:01:00+00', '2025-08-18 08:15:00+00', '2025-08-18 05:58:00+00', '2025-08-18 08:15:00+00'),
  ('c1000000-0000-4000-8000-000000000004', 'a1000000-0000-4000-8000-000000000004', '2025-08-18',
   'generating', null, null, '2025-08-18 05:58:00+00', '2025-08-18 06:02:00+00');

-- Recommendations by rank, with the automation by slug.
insert into public.discovered_automations (
  id, discovery_id, user_id, automation_id, rank, relevance_score, reason, reaction, created_at, updated_at
)
select
  pg_temp.seed_uuid('c2', r.discovery, r.rank),
  d.id, d.user_id, a.id, r.rank, r.relevance_score, r.reason, r.reaction,
  d.generated_at, coalesce(d.viewed_at, d.generated_at)
from (values
  (1, 1, 'overdue-invoice-reminders', 0.9310,
   'You named chasing invoices as your biggest time sink, and you already use QuickBooks Online.', 'started'),
  (1, 2, 'google-review-requests', 0.8925,
   'Square already knows every customer who paid; a review request needs no new habit.', 'started'),
  (1, 3, 'social-media-scheduling', 0.8530,
   'Batch a month of Instagram posts in one sitting instead of posting every evening.', 'saved'),
  (1, 4, 'daily-sales-summary', 0.7410,
   'See how the market stall did without logging in to Square.', 'dismissed'),
  (2, 1, 'newsletter-welcome-sequence', 0.8420,
   'Turn market-stall regulars into newsletter subscribers who come back.', 'new'),
  (2, 2, 'lapsed-customer-win-back', 0.7905,
   'Wholesale cafés that stopped ordering are worth a personal nudge.', 'new'),
  (2, 3, 'receipt-capture-to-accounting', 0.7310,
   'Bookkeeping is on your list of late-night chores; receipts are the slowest part.', 'new'),
  (3, 1, 'appointment-reminders-sms', 0.9480,
   'No-shows are your top pain point, and Calendly and Twilio are already in place.', 'started'),
  (3, 2, 'missed-appointment-rebooking', 0.9125,
   'Pairs with reminders: bring back the clients who still miss a session.', 'saved'),
  (3, 3, 'timesheets-to-payroll', 0.8740,
   'Part-time hours make payroll slow; approved timesheets can feed it directly.', 'started'),
  (3, 4, 'google-review-requests', 0.8650,
   'You want more Google reviews: ask right after a good session.', 'new'),
  (3, 5, 'payroll-run-reminder', 0.7020,
   'A checklist before each payroll run, until timesheets flow in by themselves.', 'dismissed')
) as r (discovery, rank, slug, relevance_score, reason, reaction)
join public.weekly_discoveries d on d.id = pg_temp.seed_uuid('c1', 0, r.discovery)
join public.automations a on a.slug = r.slug;

-- ============================================================================
-- Adoption: user_automations and automation_progress
-- ============================================================================
insert into public.user_automations (
  id, user_id, automation_id, status, started_at, completed_at, created_at, updated_at
)
select
  u.id, u.user_id, a.id, u.status, u.started_at, u.completed_at,
  coalesce(u.started_at, u.saved_at), coalesce(u.completed_at, u.started_at, u.saved_at)
from (values
  -- Sam: invoices done, reviews half-way, social media saved for later.
  ('d1000000-0000-4000-8000-000000000001'::uuid, 'a1000000-0000-4000-8000-000000000002'::uuid,
   'overdue-invoice-reminders', 'completed',
   timestamptz '2025-08-11 20:05:00+00', timestamptz '2025-08-12 21:10:00+00', null::timestamptz),
  ('d1000000-0000-4000-8000-000000000002', 'a1000000-0000-4000-8000-000000000002',
   'google-review-requests', 'in_progress', '2025-08-13 19:30:00+00', null, null),
  ('d1000000-0000-4000-8000-000000000003', 'a1000000-0000-4000-8000-000000000002',
   'social-media-scheduling', 'saved', null, null, '2025-08-11 19:45:00+00'),
  -- Priya: reminders under way, payroll integration dropped for now, rebooking saved.
  ('d1000000-0000-4000-8000-000000000004', 'a1000000-0000-4000-8000-000000000003',
   'appointment-reminders-sms', 'in_progress', '2025-08-18 08:20:00+00', null, null),
  ('d1000000-0000-4000-8000-000000000005', 'a1000000-0000-4000-8000-000000000003',
   'timesheets-to-payroll', 'abandoned', '2025-08-18 12:00:00+00', null, null),
  ('d1000000-0000-4000-8000-000000000006', 'a1000000-0000-4000-8000-000000000003',
   'missed-appointment-rebooking', 'saved', null, null, '2025-08-18 08:16:00+00'),
  -- Leo: came with an expert's shortlist; triage done, inventory sync under way.
  ('d1000000-0000-4000-8000-000000000007', 'a1000000-0000-4000-8000-000000000004',
   'support-ticket-triage', 'completed', '2025-08-14 14:00:00+00', '2025-08-15 11:30:00+00', null),
  ('d1000000-0000-4000-8000-000000000008', 'a1000000-0000-4000-8000-000000000004',
   'multichannel-inventory-sync', 'in_progress', '2025-08-15 13:00:00+00', null, null)
) as u (id, user_id, slug, status, started_at, completed_at, saved_at)
join public.automations a on a.slug = u.slug;

-- One row per step of every started user automation: the first `done` steps
-- completed (an hour apart), the next one in progress while the automation is,
-- the rest not started. Saved automations have no progress yet.
insert into public.automation_progress (
  id, user_id, user_automation_id, automation_id, step_id, status, completed_at, notes, created_at, updated_at
)
select
  pg_temp.seed_uuid('d2', p.user_automation, s.step_number),
  ua.user_id, ua.id, ua.automation_id, s.id,
  case
    when s.step_number <= p.done then 'completed'
    when s.step_number = p.done + 1 and ua.status = 'in_progress' then 'in_progress'
    else 'not_started'
  end,
  case when s.step_number <= p.done then ua.started_at + s.step_number * interval '1 hour' end,
  case when s.step_number = p.done + 1 then p.note end,
  ua.started_at, ua.started_at + least(s.step_number, p.done + 1) * interval '1 hour'
from (values
  (1, 4, null),
  (2, 2, 'Waiting for Twilio to approve the sender number.'),
  (4, 1, null),
  (5, 1, 'Deputy and Gusto disagree on employee ids; come back to it after the next payroll.'),
  (7, 6, null),
  (8, 3, 'Amazon SKUs differ from Shopify''s for bundles: map them in the sheet first.')
) as p (user_automation, done, note)
join public.user_automations ua on ua.id = pg_temp.seed_uuid('d1', 0, p.user_automation)
join public.implementation_steps s on s.automation_id = ua.automation_id;

-- ============================================================================
-- Billing: subscriptions and usage_metrics
-- ============================================================================
-- Stripe ids are visibly fake ('cus_seed_...'). At most one live subscription
-- per user: Sam's earlier trial is canceled, Leo's first attempt expired.
insert into public.subscriptions (
  id, user_id, stripe_customer_id, stripe_subscription_id, stripe_price_id, plan, status,
  current_period_start, current_period_end, cancel_at_period_end, canceled_at, created_at, updated_at
)
values
  ('e1000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000002',
   'cus_seed_sam_rivera', 'sub_seed_sam_trial', 'price_seed_pro_monthly', 'pro', 'canceled',
   '2025-07-28 18:50:00+00', '2025-08-04 18:50:00+00', false, '2025-08-04 18:50:00+00',
   '2025-07-28 18:50:00+00', '2025-08-04 18:50:00+00'),
  ('e1000000-0000-4000-8000-000000000002', 'a1000000-0000-4000-8000-000000000002',
   'cus_seed_sam_rivera', 'sub_seed_sam_pro', 'price_seed_pro_monthly', 'pro', 'active',
   '2025-08-05 09:00:00+00', '2025-09-05 09:00:00+00', false, null,
   '2025-08-05 09:00:00+00', '2025-08-05 09:00:00+00'),
  ('e1000000-0000-4000-8000-000000000003', 'a1000000-0000-4000-8000-000000000003',
   'cus_seed_priya_shah', 'sub_seed_priya_business', 'price_seed_business_monthly', 'business', 'active',
   '2025-08-05 08:25:00+00', '2025-09-05 08:25:00+00', false, null,
   '2025-08-05 08:25:00+00', '2025-08-05 08:25:00+00'),
  ('e1000000-0000-4000-8000-000000000004', 'a1000000-0000-4000-8000-000000000004',
   'cus_seed_leo_martin', 'sub_seed_leo_declined', 'price_seed_business_yearly', 'business', 'incomplete_expired',
   '2025-08-14 13:50:00+00', '2025-08-15 13:50:00+00', false, null,
   '2025-08-14 13:50:00+00', '2025-08-15 13:50:00+00'),
  ('e1000000-0000-4000-8000-000000000005', 'a1000000-0000-4000-8000-000000000004',
   'cus_seed_leo_martin', 'sub_seed_leo_trial', 'price_seed_business_yearly', 'business', 'trialing',
   '2025-08-15 14:00:00+00', '2025-08-29 14:00:00+00', true, null,
   '2025-08-15 14:00:00+00', '2025-08-15 14:00:00+00');

-- Monthly counters (period_end is exclusive: the first day of the next month).
insert into public.usage_metrics (id, user_id, metric, period_start, period_end, quantity, created_at, updated_at)
select
  pg_temp.seed_uuid('e2', m.user_no, m.n),
  pg_temp.seed_uuid('a1', 0, m.user_no),
  m.metric, m.period_start, (m.period_start + interval '1 month')::date, m.quantity,
  m.period_start::timestamp at time zone 'UTC',
  (m.period_start + interval '1 month' - interval '1 minute') at time zone 'UTC'
from (values
  (2, 1, 'discoveries',         date '2025-07-01',   0),
  (2, 2, 'ai_queries',          date '2025-07-01',   3),
  (2, 3, 'guide_views',         date '2025-07-01',   1),
  (2, 4, 'automations_started', date '2025-07-01',   0),
  (2, 5, 'discoveries',         date '2025-08-01',   2),
  (2, 6, 'ai_queries',          date '2025-08-01',  14),
  (2, 7, 'guide_views',         date '2025-08-01',  23),
  (2, 8, 'automations_started', date '2025-08-01',   2),
  (3, 1, 'discoveries',         date '2025-08-01',   1),
  (3, 2, 'ai_queries',          date '2025-08-01',  31),
  (3, 3, 'guide_views',         date '2025-08-01',  18),
  (3, 4, 'automations_started', date '2025-08-01',   2),
  (4, 1, 'discoveries',         date '2025-08-01',   0),
  (4, 2, 'ai_queries',          date '2025-08-01', 112),
  (4, 3, 'guide_views',         date '2025-08-01',  46),
  (4, 4, 'automations_started', date '2025-08-01',   2)
) as m (user_no, n, metric, period_start, quantity);

-- ============================================================================
-- Clean up
-- ============================================================================
drop function pg_temp.seed_embedding(text, text, text[], text);
drop function pg_temp.seed_uuid(text, integer, integer);

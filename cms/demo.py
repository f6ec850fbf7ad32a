"""The demo public site in English and Swedish, built by `manage.py seed_demo` (safe to run twice).

Pages are found by their slug under their parent before anything is created, and a page that exists
is left as it is, so an editor's changes survive a second run. Images are drawn with Pillow.
"""

from __future__ import annotations

import io
from datetime import date, time, timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from coaching.models import CaseFile, Outcome
from neem.models import Programme

from .models import (
    ConsentGrant,
    ConsentUse,
    HomePage,
    InterestPage,
    NewsIndexPage,
    NewsPage,
    PrivacyNotice,
    RegionPage,
    Sector,
    StandardPage,
    StoryConsent,
    StoryIndexPage,
    StoryPage,
    WorkshopIndexPage,
    WorkshopPage,
)

PALETTE = ["#005a4e", "#b5472a", "#e0a526", "#3d5a98", "#7a3b69", "#2f7d32"]
SKIN = ["#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#6b3e26", "#a0522d"]


# --- Images ----------------------------------------------------------------------------------------


def _png(draw_fn, size) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", size, "#fafaf7")
    draw_fn(ImageDraw.Draw(canvas), size)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _portrait(initials: str, index: int):
    from PIL import ImageFont

    background, clothes, skin = PALETTE[index % 6], PALETTE[(index + 2) % 6], SKIN[index % 6]

    def draw(d, size):
        w, h = size
        d.rectangle([0, 0, w, h], fill=background)
        d.ellipse([w * 0.18, h * 0.68, w * 0.82, h * 1.25], fill=clothes)  # shoulders
        d.rectangle([w * 0.44, h * 0.55, w * 0.56, h * 0.72], fill=skin)  # neck
        d.ellipse([w * 0.28, h * 0.12, w * 0.72, h * 0.52], fill=PALETTE[(index + 4) % 6])  # headscarf or hair
        d.ellipse([w * 0.34, h * 0.2, w * 0.66, h * 0.6], fill=skin)  # face
        font = ImageFont.load_default(size=int(h * 0.09))
        d.rounded_rectangle([w * 0.04, h * 0.04, w * 0.3, h * 0.17], radius=12, fill="#ffffff")
        d.text((w * 0.17, h * 0.105), initials, fill="#1d1d1f", font=font, anchor="mm")

    return _png(draw, (600, 600))


def _hero():
    def draw(d, size):
        w, h = size
        d.rectangle([0, 0, w, h], fill="#e6f2ef")
        for i, colour in enumerate(PALETTE):
            x = (i % 3) * w / 3
            y = (i // 3) * h / 2
            d.rounded_rectangle([x + 20, y + 20, x + w / 3 - 20, y + h / 2 - 20], radius=40, fill=colour)
            d.ellipse([x + w / 6 - 60, y + h / 4 - 60, x + w / 6 + 60, y + h / 4 + 60], fill=SKIN[i])

    return _png(draw, (1200, 750))


def _image(title: str, alt: str, data_fn, filename: str) -> Image:
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, description=alt)
        image.file = ImageFile(io.BytesIO(data_fn()), name=filename)
        image.save()
    return image


# --- Pages -----------------------------------------------------------------------------------------


def _child(parent: Page, model, slug: str, **fields):
    """The child with this slug, or a new published one."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    # A fresh parent: treebeard computes the new path from the parent's child count.
    Page.objects.get(pk=parent.pk).add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page: Page, locale: Locale, **fields):
    """The page's translation in `locale`, created (Wagtail's copy for translation) and filled in."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation.specific_class.objects.get(pk=translation.pk)


def _update(page: Page, **fields):
    """Change a page from a fresh copy (children added meanwhile change its tree fields) and publish it."""
    fresh = type(page).objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(fresh, name, value)
    fresh.save_revision().publish()
    return fresh


def _text(html: str):
    return ("text", RichText(html))


def _figure(image: Image, caption: str, alt: str):
    image.contextual_alt_text = alt
    image.decorative = False
    return ("image", {"image": image, "caption": caption})


def _ensure_wagtail_roots(locale) -> None:
    """Wagtail's migrations create the root collection and page; a database emptied since (a flushed test
    database, a partial restore) lacks them, and images and pages cannot be made without them."""
    from wagtail.models import Collection, Page

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def build_site(*, programme: Programme) -> HomePage:
    en, _ = Locale.objects.get_or_create(language_code="en")
    sv, _ = Locale.objects.get_or_create(language_code="sv")
    _ensure_wagtail_roots(en)
    regions = {r.slug: r for r in programme.regions.all()}
    today = timezone.localdate()

    hero = _image(
        "Neem: coloured shapes",
        "Six coloured tiles, each with a round face, standing for the women of the programme.",
        _hero,
        "neem-hero.png",
    )

    home = _home(en, hero)
    _site_points_at(home)
    home_sv = _translate(
        home,
        sv,
        title="Neem",
        slug="neem-hem",
        hero_heading="Starta ditt företag i Sverige – med en coach vid din sida",
        intro="Coachning i grupp och enskilt, en affärsplan och vid behov ett mikrolån. För dig som vill bli företagare.",
        cta_label="Jag är intresserad",
        body=SV_HOME_BODY,
        search_description="Neem coachar blivande företagare, främst kvinnor som är nya i Sverige, och lånar ut mikrolån.",
    )

    interest = _child(
        home,
        InterestPage,
        "i-am-interested",
        title="I am interested",
        show_in_menus=True,
        intro="Leave your details and an adviser from your region will call you to tell you more.",
        search_description="Sign up for the Neem programme: coaching and microloans for would-be entrepreneurs.",
    )
    if home.cta_page_id is None:
        home = _update(home, cta_page=interest, cta_label=home.cta_label or "I am interested")
    interest_sv = _translate(
        interest,
        sv,
        title="Jag är intresserad",
        slug="jag-ar-intresserad",
        intro="Lämna dina uppgifter så ringer en rådgivare från din region och berättar mer.",
        search_description="Anmäl intresse för Neem: coachning och mikrolån för blivande företagare.",
    )
    if home_sv.cta_page_id is None:
        _update(home_sv, cta_page=interest_sv)

    about = _child(
        home,
        StandardPage,
        "about-the-programme",
        title="About the programme",
        show_in_menus=True,
        intro="Neem helps people who are new in Sweden – most of them women – start a business of their own.",
        body=_about_body(hero, interest, english=True),
        search_description="How Neem's coaching works: mobilisation, business development, lending and follow-up.",
    )
    _translate(
        about,
        sv,
        title="Om programmet",
        slug="om-programmet",
        intro="Neem hjälper personer som är nya i Sverige – de flesta kvinnor – att starta eget företag.",
        body=_about_body(hero, interest, english=False),
        search_description="Så fungerar Neems coachning: mobilisering, affärsutveckling, utlåning och uppföljning.",
    )

    for slug, (en_intro, sv_intro, partners_en, partners_sv) in REGIONS.items():
        region = regions[slug]
        page = _child(
            home,
            RegionPage,
            slug,
            title=f"Neem in {region.name}",
            region=region,
            intro=en_intro,
            body=[_text(f"<p>{partners_en}</p>")],
            contact=f"<p>Neem {region.name}: {slug}@neem.example</p>",
        )
        _translate(
            page,
            sv,
            title=f"Neem i {region.name}",
            slug=slug,
            intro=sv_intro,
            body=[_text(f"<p>{partners_sv}</p>")],
        )

    workshops = _child(
        home,
        WorkshopIndexPage,
        "workshops",
        title="Information workshops",
        show_in_menus=True,
        intro="Come to a free information workshop: meet advisers and women who have started their business.",
    )
    workshops_sv = _translate(
        workshops,
        sv,
        title="Informationsträffar",
        slug="informationstraffar",
        intro="Kom till en kostnadsfri informationsträff: träffa rådgivare och kvinnor som har startat eget.",
    )
    _workshops(workshops, workshops_sv, sv, regions, today)

    stories = _child(
        home,
        StoryIndexPage,
        "role-models",
        title="Role models",
        show_in_menus=True,
        intro="Women who started their business with Neem tell their stories.",
    )
    stories_sv = _translate(
        stories,
        sv,
        title="Förebilder",
        slug="forebilder",
        intro="Kvinnor som startade sitt företag med Neem berättar.",
    )
    _stories(stories, stories_sv, sv, programme, regions, today)

    news = _child(home, NewsIndexPage, "news", title="News", show_in_menus=True, intro="What happens in Neem.")
    news_sv = _translate(news, sv, title="Nyheter", slug="nyheter", intro="Det här händer i Neem.")
    item = _child(
        news,
        NewsPage,
        "three-regions-open",
        title="Neem opens in Stockholm, Västerås and Örebro",
        date=date(2026, 1, 15),
        intro="The programme starts with local platforms in three regions, run together with partner organisations.",
        body=[
            _text(
                "<p>Together with immigrant associations, the public employment service, municipalities, a bank "
                "and business-start centres, Neem will mobilise 180 participants into network groups.</p>"
            )
        ],
    )
    _translate(
        item,
        sv,
        title="Neem startar i Stockholm, Västerås och Örebro",
        slug="tre-regioner-startar",
        intro="Programmet startar med lokala plattformar i tre regioner, tillsammans med partnerorganisationer.",
        body=[
            _text(
                "<p>Tillsammans med invandrarföreningar, Arbetsförmedlingen, kommuner, en bank och "
                "nyföretagarcentrum ska Neem mobilisera 180 deltagare till nätverksgrupper.</p>"
            )
        ],
    )
    del news_sv
    _privacy_notices(en, sv)
    _more_languages(home, interest, workshops)
    return home


# The home page, the sign-up and the workshops in the other languages of LANGUAGES (the rest of the
# site stays in English and Swedish until editors translate it with "Translate").
MORE_LANGUAGES = {
    "da": {
        "home": {
            "slug": "neem-da",
            "hero_heading": "Start din egen virksomhed – med en coach ved din side",
            "intro": "Coaching i grupper og én til én, en forretningsplan og, hvor det hjælper, et mikrolån. "
            "For dig, der gerne vil være selvstændig.",
            "cta_label": "Jeg er interesseret",
        },
        "interest": {
            "title": "Jeg er interesseret",
            "slug": "jeg-er-interesseret",
            "intro": "Skriv dine oplysninger, så ringer en rådgiver fra dit område og fortæller mere.",
        },
        "workshops": {
            "title": "Informationsmøder",
            "slug": "informationsmoder",
            "intro": "Kom til et gratis informationsmøde: mød rådgivere og kvinder, der har startet egen virksomhed.",
        },
        "workshop": {
            "title": "Informationsmøde i Kista",
            "intro": "Hør, hvordan programmet fungerer, og mød vores rådgivere.",
        },
        "privacy": "<p>Neem gemmer dit navn, din e-mailadresse, dit telefonnummer, dit sprog og dit område, så en "
        "rådgiver kan kontakte dig. Kun programmets medarbejdere ser dem. Du kan altid bede os om at se, rette "
        "eller slette dem: skriv til privacy@neem.example.</p>",
    },
    "vi": {
        "home": {
            "slug": "neem-vi",
            "hero_heading": "Tự mở doanh nghiệp của bạn – có người hướng dẫn luôn đồng hành",
            "intro": "Hướng dẫn theo nhóm và riêng từng người, một kế hoạch kinh doanh và, khi cần, một khoản vay "
            "nhỏ. Dành cho bạn, nếu bạn muốn tự kinh doanh.",
            "cta_label": "Tôi quan tâm",
        },
        "interest": {
            "title": "Tôi quan tâm",
            "slug": "toi-quan-tam",
            "intro": "Hãy để lại thông tin của bạn. Một cố vấn ở khu vực của bạn sẽ gọi điện để nói thêm cho bạn.",
        },
        "workshops": {
            "title": "Buổi giới thiệu",
            "slug": "buoi-gioi-thieu",
            "intro": "Hãy đến một buổi giới thiệu miễn phí: gặp các cố vấn và những phụ nữ đã tự mở doanh nghiệp.",
        },
        "workshop": {
            "title": "Buổi giới thiệu tại Kista",
            "intro": "Tìm hiểu chương trình hoạt động thế nào và gặp các cố vấn của chúng tôi.",
        },
        "privacy": "<p>Neem lưu tên, địa chỉ e-mail, số điện thoại, ngôn ngữ và khu vực của bạn để một cố vấn có "
        "thể liên lạc với bạn. Chỉ nhân viên của chương trình được xem. Bạn có thể yêu cầu xem, sửa hoặc xóa "
        "thông tin bất cứ lúc nào: hãy viết cho privacy@neem.example.</p>",
    },
    "ar": {
        "home": {
            "slug": "neem-ar",
            "hero_heading": "ابدئي مشروعك الخاص، ومعكِ مدرّبة إلى جانبك",
            "intro": "تدريب في مجموعات وبشكل فردي، وخطة عمل، وقرض صغير عند الحاجة. لكِ إذا كنتِ تريدين أن "
            "تبدئي عملك الخاص.",
            "cta_label": "أنا مهتمة",
        },
        "interest": {
            "title": "أنا مهتمة",
            "slug": "ana-muhtamma",
            "intro": "اتركي بياناتك، وستتصل بكِ مستشارة من منطقتك لتخبرك بالمزيد.",
        },
        "workshops": {
            "title": "لقاءات تعريفية",
            "slug": "liqaat-tarifiya",
            "intro": "تعالي إلى لقاء تعريفي مجاني: تعرّفي على المستشارات وعلى نساء بدأن مشاريعهن الخاصة.",
        },
        "workshop": {
            "title": "لقاء تعريفي في كيستا",
            "intro": "تعرّفي على طريقة عمل البرنامج والتقي بمستشاراتنا.",
        },
        "privacy": "<p>يحفظ Neem اسمك وبريدك الإلكتروني ورقم هاتفك ولغتك ومنطقتك لكي تتمكن مستشارة من التواصل "
        "معك. لا يطّلع عليها إلا العاملون في البرنامج. يمكنك في أي وقت أن تطلبي رؤيتها أو تصحيحها أو حذفها: "
        "اكتبي إلى privacy@neem.example.</p>",
    },
}


def _more_languages(home, interest, workshops) -> None:
    from django.conf import settings

    offered = {code for code, _name in settings.LANGUAGES}
    kista = WorkshopPage.objects.filter(locale=home.locale, slug="stockholm-information-workshop").first()
    notice = PrivacyNotice.objects.filter(locale=home.locale, version="2026-1").first()
    for code, texts in MORE_LANGUAGES.items():
        if code not in offered:
            continue
        locale, _ = Locale.objects.get_or_create(language_code=code)
        translated_home = _translate(home, locale, title="Neem", **texts["home"])
        translated_interest = _translate(interest, locale, **texts["interest"])
        if translated_home.cta_page_id is None or translated_home.cta_page_id == interest.pk:
            _update(translated_home, cta_page=translated_interest)
        _translate(workshops, locale, **texts["workshops"])
        if kista is not None:
            _translate(kista, locale, **texts["workshop"])
        if (
            notice is not None
            and not PrivacyNotice.objects.filter(translation_key=notice.translation_key, locale=locale).exists()
        ):
            translation = notice.copy_for_translation(locale)
            translation.text = texts["privacy"]
            translation.save()


def _home(en: Locale, hero: Image) -> HomePage:
    home = HomePage.objects.filter(locale=en).order_by("depth", "pk").first()
    fields = {
        "hero_heading": "Start your business in Sweden – with a coach by your side",
        "intro": "Coaching in groups and one to one, a business plan and, where it helps, a microloan. "
        "For you who want to become an entrepreneur.",
        "body": EN_HOME_BODY,
        "search_description": "Neem coaches would-be entrepreneurs, most of them women new in Sweden, "
        "and lends them microloans.",
    }
    if home is None:
        home = HomePage(title="Neem", slug="neem-home", locale=en, hero_image=hero, **fields)
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    elif home.hero_image_id is None:
        # The skeleton's minimal home page: give it the full front page once.
        home = _update(home, hero_image=hero, **fields)
    return home


def _site_points_at(home: HomePage) -> None:
    """The default site answers on any host and port; its root is the English home page."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Neem")
        return
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Neem"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()


def _workshops(index, index_sv, sv, regions, today) -> None:
    plans = [
        {
            "slug": "stockholm-information-workshop",
            "region": regions["stockholm"],
            "days": 9,
            "start": time(10, 0),
            "end": time(12, 0),
            "place": "Arbetsförmedlingen Kista",
            "address": "Kistagången 12, Kista",
            "video_url": "",
            "language": "sv",
            "capacity": 25,
            "en": ("Information workshop in Kista", "Learn how the programme works and meet our advisers."),
            "sv": ("Informationsträff i Kista", "Lär dig hur programmet fungerar och träffa våra rådgivare."),
        },
        {
            "slug": "online-information-workshop-orebro",
            "region": regions["orebro"],
            "days": 23,
            "start": time(17, 30),
            "end": time(19, 0),
            "place": "",
            "address": "",
            "video_url": "https://meet.neem.example/orebro-info",
            "language": "en",
            "capacity": 40,
            "en": ("Online information workshop (Örebro)", "An evening workshop online, in English."),
            "sv": ("Informationsträff online (Örebro)", "En kvällsträff online, på engelska."),
        },
    ]
    body_en = [
        _text(
            "<p>You will hear how coaching, the business plan and microloans work, and meet a woman who "
            "started her business with Neem. Bring your questions – and a friend if you like.</p>"
        )
    ]
    body_sv = [
        _text(
            "<p>Du får höra hur coachningen, affärsplanen och mikrolånen fungerar och träffa en kvinna som "
            "startade sitt företag med Neem. Ta med dina frågor – och gärna en vän.</p>"
        )
    ]
    for plan in plans:
        title, intro = plan["en"]
        page = _child(
            index,
            WorkshopPage,
            plan["slug"],
            title=title,
            intro=intro,
            region=plan["region"],
            date=today + timedelta(days=plan["days"]),
            start_time=plan["start"],
            end_time=plan["end"],
            place=plan["place"],
            address=plan["address"],
            video_url=plan["video_url"],
            language=plan["language"],
            capacity=plan["capacity"],
            body=body_en,
        )
        title_sv, intro_sv = plan["sv"]
        _translate(page, sv, title=title_sv, intro=intro_sv, body=body_sv)
    del index_sv


def _stories(index, index_sv, sv, programme, regions, today) -> None:
    expires = today + timedelta(days=2 * 365)
    founder_case = (
        CaseFile.objects.filter(programme=programme, outcome=Outcome.COMPANY_STARTED)
        .select_related("participant")
        .order_by("pk")
        .first()
    )
    for number, story in enumerate(STORIES):
        real_name, alias = story["real_name"], story["alias"]
        case = None
        if number == 0 and founder_case is not None:
            case = founder_case
            real_name, alias = founder_case.participant.full_name, founder_case.participant.first_name
        consent = StoryConsent.objects.filter(person_name=real_name).first()
        if consent is None:
            consent = StoryConsent.objects.create(
                person_name=real_name, case=case, given_on=today - timedelta(days=30), record="Signed form, demo binder"
            )
            for use in story["uses"]:
                ConsentGrant.objects.create(consent=consent, use=use, expires_on=expires)
        initials = "".join(part[0] for part in alias.split()[:2]).upper()
        portrait = _image(
            f"Portrait: {alias}",
            f"Illustrated portrait of {alias}, {story['en']['business_alt']}.",
            lambda initials=initials, number=number: _portrait(initials, number),
            f"portrait-{story['slug']}.png",
        )
        page = _child(
            index,
            StoryPage,
            story["slug"],
            title=story["en"]["title"],
            alias=alias,
            real_name=real_name,
            portrait=portrait,
            business=story["business"],
            sector=story["sector"],
            region=regions[story["region"]],
            intro=story["en"]["intro"],
            quote=story["en"]["quote"],
            body=[_text(p) for p in story["en"]["body"]],
            consent=consent,
        )
        _translate(
            page,
            sv,
            title=story["sv"]["title"],
            slug=story["sv"]["slug"],
            intro=story["sv"]["intro"],
            quote=story["sv"]["quote"],
            body=[_text(p) for p in story["sv"]["body"]],
        )
    del index_sv


def _privacy_notices(en, sv) -> None:
    notice = PrivacyNotice.objects.filter(locale=en, version="2026-1").first()
    if notice is None:
        notice = PrivacyNotice.objects.create(locale=en, version="2026-1", text=EN_PRIVACY)
    if PrivacyNotice.objects.filter(translation_key=notice.translation_key, locale=sv).exists():
        return
    translation = notice.copy_for_translation(sv)
    translation.text = SV_PRIVACY
    translation.save()


def _about_body(image: Image, interest, *, english: bool):
    if english:
        return [
            _text(
                "<h2>Who it is for</h2><p>Neem is for people who are unemployed or newly arrived and want to "
                "start a business: at least four in five participants are women. What counts is your drive and "
                "your will. You need a permanent residence permit.</p>"
                "<h2>How it works</h2><ol><li><b>Mobilisation</b> – information workshops, networks and "
                "inspiration.</li><li><b>Business development</b> – coaching in groups and one to one for three "
                "to six months, study visits and guest speakers.</li><li><b>Lending and follow-up</b> – a "
                "microloan when the bank says no, and support once you have started.</li><li><b>Make Women "
                "Bankable</b> – a strong network and your own credit history.</li></ol>"
            ),
            _figure(image, "Coaching in groups and one to one.", "Coloured tiles with round faces."),
            (
                "quote",
                {
                    "quote": "Neem did not give me a business. It gave me the courage to start one.",
                    "attribution": "A participant, Stockholm",
                },
            ),
            (
                "call_to_action",
                {
                    "heading": "Would you like to take part?",
                    "text": "Tell us and an adviser will contact you.",
                    "button_label": "I am interested",
                    "page": interest,
                    "url": "",
                },
            ),
            (
                "faq",
                {
                    "heading": "Questions and answers",
                    "questions": [
                        {
                            "question": "Does it cost anything?",
                            "answer": RichText("<p>No. Coaching is free; a loan has interest like any loan.</p>"),
                        },
                        {
                            "question": "Do I need to speak Swedish?",
                            "answer": RichText("<p>No. We offer language support when you need it.</p>"),
                        },
                        {
                            "question": "Can I take part if I already have a company?",
                            "answer": RichText("<p>Yes, if it is newly started and you want to develop it.</p>"),
                        },
                    ],
                },
            ),
        ]
    return [
        _text(
            "<h2>Vem det är för</h2><p>Neem är för dig som är arbetslös eller nyanländ och vill starta företag: "
            "minst fyra av fem deltagare är kvinnor. Det som räknas är din drivkraft och vilja. Du behöver "
            "permanent uppehållstillstånd.</p>"
            "<h2>Så går det till</h2><ol><li><b>Mobilisering</b> – informationsträffar, nätverk och "
            "inspiration.</li><li><b>Affärsutveckling</b> – coachning i grupp och enskilt i tre till sex "
            "månader, studiebesök och gästföreläsare.</li><li><b>Utlåning och uppföljning</b> – ett mikrolån "
            "när banken säger nej, och stöd när du har startat.</li><li><b>Make Women Bankable</b> – ett starkt "
            "nätverk och din egen kredithistorik.</li></ol>"
        ),
        _figure(image, "Coachning i grupp och enskilt.", "Färgade rutor med runda ansikten."),
        (
            "quote",
            {
                "quote": "Neem gav mig inte ett företag. Det gav mig modet att starta ett.",
                "attribution": "En deltagare, Stockholm",
            },
        ),
        (
            "call_to_action",
            {
                "heading": "Vill du vara med?",
                "text": "Berätta det för oss så hör en rådgivare av sig.",
                "button_label": "Jag är intresserad",
                "page": interest,
                "url": "",
            },
        ),
        (
            "faq",
            {
                "heading": "Frågor och svar",
                "questions": [
                    {
                        "question": "Kostar det något?",
                        "answer": RichText("<p>Nej. Coachningen är kostnadsfri; ett lån har ränta som alla lån.</p>"),
                    },
                    {
                        "question": "Måste jag kunna svenska?",
                        "answer": RichText("<p>Nej. Vi erbjuder språkstöd när du behöver det.</p>"),
                    },
                    {
                        "question": "Kan jag vara med om jag redan har ett företag?",
                        "answer": RichText("<p>Ja, om det är nystartat och du vill utveckla det.</p>"),
                    },
                ],
            },
        ),
    ]


EN_HOME_BODY = (
    "<p>Neem is a network for entrepreneurs from ethnic minorities. In Stockholm, Västerås and Örebro we coach "
    "would-be entrepreneurs from the first idea to a business plan and, where the bank says no, lend them a "
    "microloan.</p>"
)
SV_HOME_BODY = (
    "<p>Neem är ett nätverk för företagare med utländsk bakgrund. I Stockholm, Västerås och Örebro coachar vi "
    "blivande företagare från den första idén till en affärsplan och, när banken säger nej, ett mikrolån.</p>"
)
EN_PRIVACY = (
    "<p>Neem stores your name, e-mail address, phone number, language, region and how you heard about us so "
    "that an adviser can contact you about the programme. Only the programme's staff see them. If you do not "
    "join, we delete them within six months. You can ask to see, correct or delete your details at any time: "
    "write to privacy@neem.example.</p>"
)
SV_PRIVACY = (
    "<p>Neem sparar ditt namn, din e-postadress, ditt telefonnummer, språk, region och hur du hörde om oss så "
    "att en rådgivare kan kontakta dig om programmet. Bara programmets personal ser uppgifterna. Om du inte "
    "börjar tar vi bort dem inom sex månader. Du kan när som helst be att få se, rätta eller ta bort dina "
    "uppgifter: skriv till privacy@neem.example.</p>"
)

REGIONS = {
    "stockholm": (
        "Our largest platform, with groups in Kista, Rinkeby and Botkyrka.",
        "Vår största plattform, med grupper i Kista, Rinkeby och Botkyrka.",
        "In Stockholm we work with immigrant associations, the public employment service, the municipalities "
        "and the business-start centre.",
        "I Stockholm samarbetar vi med invandrarföreningar, Arbetsförmedlingen, kommunerna och nyföretagarcentrum.",
    ),
    "vasteras": (
        "Coaching and networks for entrepreneurs in Västmanland.",
        "Coachning och nätverk för företagare i Västmanland.",
        "In Västerås our partners are the municipality, the public employment service and a local bank.",
        "I Västerås är våra partner kommunen, Arbetsförmedlingen och en lokal bank.",
    ),
    "orebro": (
        "Groups in Örebro and online for the whole county.",
        "Grupper i Örebro och online för hela länet.",
        "In Örebro we work with women's associations and the business-start centre.",
        "I Örebro samarbetar vi med kvinnoföreningar och nyföretagarcentrum.",
    ),
}

STORIES = [
    {
        "slug": "catering-from-the-kitchen-table",
        "real_name": "Amina Hassan",
        "alias": "Amina",
        "business": "Hooyo Catering",
        "sector": Sector.FOOD,
        "region": "stockholm",
        "uses": [ConsentUse.WEB_PAGE, ConsentUse.PHOTO, ConsentUse.NAME],
        "en": {
            "title": "From the kitchen table to a catering company",
            "business_alt": "who runs a catering company",
            "intro": "She cooked for weddings in her family. Now she cooks for companies.",
            "quote": "The budget module was hard, but now I know what every plate costs me.",
            "body": [
                "<p>For years she cooked for family celebrations for free. At an information workshop at the "
                "employment office she heard that this could be a business.</p>",
                "<h2>The plan</h2><p>With her adviser she worked out prices, a liquidity budget and the food "
                "permits she needed. A microloan paid for a second-hand professional oven.</p>",
            ],
        },
        "sv": {
            "title": "Från köksbordet till ett cateringföretag",
            "slug": "catering-fran-koksbordet",
            "intro": "Hon lagade mat till bröllop i släkten. Nu lagar hon mat åt företag.",
            "quote": "Budgetmodulen var svår, men nu vet jag vad varje tallrik kostar mig.",
            "body": [
                "<p>I flera år lagade hon mat till släktens fester utan betalt. På en informationsträff på "
                "Arbetsförmedlingen fick hon höra att det kunde bli ett företag.</p>",
                "<h2>Planen</h2><p>Med sin rådgivare räknade hon fram priser, en likviditetsbudget och de "
                "livsmedelstillstånd hon behövde. Ett mikrolån betalade en begagnad storköksugn.</p>",
            ],
        },
    },
    {
        "slug": "a-tailor-with-her-own-studio",
        "real_name": "Selam Tesfaye",
        "alias": "Selam",
        "business": "Selam Design",
        "sector": Sector.TEXTILES,
        "region": "vasteras",
        "uses": [ConsentUse.WEB_PAGE, ConsentUse.PHOTO, ConsentUse.NAME],
        "en": {
            "title": "A tailor with her own studio",
            "business_alt": "a tailor",
            "intro": "A trained tailor who now sews and alters clothes in her own studio in Västerås.",
            "quote": "I always knew how to sew. Neem taught me how to sell.",
            "body": [
                "<p>She had sewn for twenty years before she came to Sweden. What she lacked was customers, "
                "Swedish bookkeeping and the courage to ask for the right price.</p>",
            ],
        },
        "sv": {
            "title": "En skräddare med egen ateljé",
            "slug": "en-skraddare-med-egen-atelje",
            "intro": "En utbildad skräddare som nu syr och ändrar kläder i sin egen ateljé i Västerås.",
            "quote": "Sy har jag alltid kunnat. Neem lärde mig att sälja.",
            "body": [
                "<p>Hon hade sytt i tjugo år innan hon kom till Sverige. Det som saknades var kunder, svensk "
                "bokföring och modet att ta rätt betalt.</p>",
            ],
        },
    },
    {
        "slug": "hair-salon-in-orebro",
        "real_name": "Shirin Mohammadi",
        "alias": "Shirin",
        "business": "Salong Shirin",
        "sector": Sector.BEAUTY,
        "region": "orebro",
        "uses": [ConsentUse.WEB_PAGE, ConsentUse.PHOTO, ConsentUse.NAME],
        "en": {
            "title": "A hair salon in the city centre",
            "business_alt": "a hairdresser",
            "intro": "A hairdresser who rented a chair, then a room, then a whole salon.",
            "quote": "The loan was small, but it was the first time a lender believed in me.",
            "body": [
                "<p>She started by renting a chair in a friend's salon. After the coaching she had a plan for "
                "premises, a microloan for the equipment and her first two employees.</p>",
            ],
        },
        "sv": {
            "title": "En frisörsalong i centrum",
            "slug": "en-frisorsalong-i-centrum",
            "intro": "En frisör som hyrde en stol, sedan ett rum och sedan en hel salong.",
            "quote": "Lånet var litet, men det var första gången en långivare trodde på mig.",
            "body": [
                "<p>Hon började med att hyra en stol i en väns salong. Efter coachningen hade hon en plan för "
                "lokalen, ett mikrolån till utrustningen och sina två första anställda.</p>",
            ],
        },
    },
    {
        "slug": "cleaning-company-with-six-staff",
        "real_name": "Khadija Benali",
        "alias": "K.",
        "business": "Ren & Klar",
        "sector": Sector.CLEANING,
        "region": "stockholm",
        # She agreed to the story, not to her photo or her name.
        "uses": [ConsentUse.WEB_PAGE],
        "en": {
            "title": "A cleaning company with six staff",
            "business_alt": "who runs a cleaning company",
            "intro": "She now employs other women who were once where she was.",
            "quote": "I hire women who need a first job in Sweden, like I did.",
            "body": [
                "<p>After the coaching she won her first contract with a housing company. Today six people work "
                "for her, most of them women who were new in Sweden.</p>",
            ],
        },
        "sv": {
            "title": "Ett städföretag med sex anställda",
            "slug": "ett-stadforetag-med-sex-anstallda",
            "intro": "Nu anställer hon andra kvinnor som en gång var där hon var.",
            "quote": "Jag anställer kvinnor som behöver ett första jobb i Sverige, precis som jag gjorde.",
            "body": [
                "<p>Efter coachningen fick hon sitt första avtal med ett bostadsbolag. I dag arbetar sex personer "
                "hos henne, de flesta kvinnor som var nya i Sverige.</p>",
            ],
        },
    },
]

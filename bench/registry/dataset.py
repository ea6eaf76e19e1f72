"""A labelled set of Vietnamese petition texts for tuning the duplicate finder.

Each base petition is written from one of a dozen templates of the kinds of letters
reception offices receive (land recovery, compensation, boundary disputes, policy benefits,
wages at a factory, pollution, a BOT toll, corruption of a cadastral officer, noise,
housing permits), with its own facts: names, commune, plot and map sheet, decision numbers,
dates, amounts.

Positives (the same petition again), as they really arrive:
- typed without diacritics, or half with and half without;
- with 1-6 typing errors (dropped, doubled, swapped or wrong letters, Telex leftovers);
- sent to another body (another "Kính gửi" line), with other line breaks and spacing;
- with a sentence added ("I sent this before on ... and got no answer");
- several of these at once.

Negatives:
- hard: the same template, the same project and decision, but another household (other
  name, plot, area, amount), as when a whole hamlet files the same form letter;
- the same template with entirely other facts;
- another template of the same category, and any other petition.

Run ``python bench/registry/dataset.py --n 5`` to print a few examples.
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đào",
    "Đinh",
    "Lương",
    "Trịnh",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Thanh",
    "Ngọc",
    "Quang",
    "Hữu",
    "Xuân",
    "Thu",
    "Hồng",
    "Công",
    "Đình",
    "Kim",
    "Bảo",
]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Trang",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
    "Đạt",
]
COMMUNES = [
    "xã Tân Lập",
    "xã Hồng Phong",
    "phường Hiến Nam",
    "xã Nghĩa Trụ",
    "xã Lạc Hồng",
    "phường Lam Sơn",
    "xã Minh Châu",
    "xã Đông Kết",
    "xã Phụng Công",
    "phường An Tảo",
    "xã Quang Hưng",
    "xã Thiện Phiến",
    "xã Đại Đồng",
    "phường Mỹ Hào",
    "xã Tiên Tiến",
]
HAMLETS = [
    "thôn Đông",
    "thôn Tây",
    "thôn Trung",
    "thôn Thượng",
    "thôn Hạ",
    "xóm Mới",
    "thôn An Bình",
    "thôn Phú Mỹ",
    "tổ dân phố số 3",
    "tổ dân phố số 7",
]
PROVINCES = [
    "tỉnh Hưng Yên",
    "tỉnh Bắc Ninh",
    "thành phố Hải Phòng",
    "tỉnh Ninh Bình",
    "tỉnh Thái Nguyên",
]
BODIES = [
    "Chủ tịch Ủy ban nhân dân {commune}",
    "Ủy ban nhân dân {province}",
    "Thanh tra {province}",
    "Ban Tiếp công dân {province}",
    "Sở Nông nghiệp và Môi trường {province}",
    "Đoàn đại biểu Quốc hội {province}",
    "Công an {province}",
    "Chủ tịch Ủy ban nhân dân {province}",
]
PROJECTS = [
    "dự án Khu công nghiệp Thăng Long II mở rộng",
    "dự án đường vành đai 4",
    "dự án Khu đô thị Phúc Hưng",
    "dự án mở rộng Quốc lộ 39",
    "dự án cụm công nghiệp Tân Quang",
    "dự án trường trung học cơ sở liên xã",
    "dự án nghĩa trang nhân dân tập trung",
]
COMPANIES = [
    "Công ty TNHH May mặc Hưng Phát",
    "Công ty Cổ phần Giày da Việt Hàn",
    "Công ty TNHH Điện tử Sao Mai",
    "Công ty TNHH Thép Hòa Bình",
    "Công ty Cổ phần Gạch ngói Đồng Tâm",
]

TEMPLATES = [
    # land recovery
    "Kính gửi: {body}.\nTôi tên là {name}, sinh năm {born}, trú tại {hamlet}, {commune}, {province}. "
    "Gia đình tôi được giao sử dụng thửa đất số {plot}, tờ bản đồ số {sheet}, diện tích {area} m2 đất "
    "nông nghiệp từ năm {since}. Ngày {d1} Ủy ban nhân dân đã ban hành Quyết định số {dec}/QĐ-UBND "
    "thu hồi toàn bộ diện tích đất nói trên để thực hiện {project}. Gia đình tôi không đồng ý với "
    "quyết định thu hồi đất vì chưa được thông báo, chưa được họp dân và chưa được bàn bạc phương án "
    "bồi thường, hỗ trợ tái định cư. Tôi làm đơn này khiếu nại Quyết định số {dec}/QĐ-UBND và đề nghị "
    "xem xét, giải quyết để bảo đảm quyền lợi hợp pháp của gia đình tôi.",
    # compensation price
    "Kính gửi: {body}.\nTôi là {name}, trú tại {hamlet}, {commune}. Gia đình tôi có {area} m2 đất ở "
    "tại thửa số {plot} bị thu hồi để thực hiện {project}. Theo phương án bồi thường được phê duyệt tại "
    "Quyết định số {dec}/QĐ-UBND ngày {d1}, đơn giá bồi thường đất ở chỉ là {price} đồng/m2, thấp hơn "
    "nhiều so với giá chuyển nhượng thực tế trên thị trường tại địa phương. Các hộ liền kề được áp giá "
    "cao hơn nhưng gia đình tôi lại bị áp giá thấp mà không được giải thích lý do. Tôi đề nghị cơ quan "
    "có thẩm quyền xác định lại giá đất cụ thể và điều chỉnh phương án bồi thường cho đúng quy định.",
    # boundary dispute
    "Kính gửi: {body}.\nTôi tên là {name}, sinh năm {born}, thường trú tại {hamlet}, {commune}, {province}. "
    "Năm {since} hộ ông {other} ở thửa đất liền kề số {plot2} đã tự ý xây tường rào lấn sang thửa đất số "
    "{plot} của gia đình tôi khoảng {strip} m2. Tôi đã nhiều lần đề nghị thôn và Ủy ban nhân dân xã hòa "
    "giải, buổi hòa giải ngày {d1} không thành. Đến nay hộ ông {other} vẫn tiếp tục xây dựng công trình "
    "trên phần đất lấn chiếm. Tôi đề nghị các cơ quan chức năng đo đạc lại ranh giới thửa đất, buộc hộ "
    "ông {other} tháo dỡ tường rào và trả lại phần diện tích đã lấn chiếm.",
    # policy benefits
    "Kính gửi: {body}.\nTôi là {name}, sinh năm {born}, là thân nhân liệt sĩ, hiện cư trú tại {hamlet}, "
    "{commune}. Từ tháng {month} năm {since} tôi không còn được nhận trợ cấp hằng tháng mặc dù hồ sơ "
    "người có công của gia đình vẫn đầy đủ. Ngày {d1} tôi đã nộp đơn tại bộ phận một cửa nhưng đến nay "
    "sau {days} ngày vẫn chưa nhận được trả lời bằng văn bản. Tôi đề nghị kiểm tra lại hồ sơ, khôi phục "
    "chế độ trợ cấp và truy lĩnh số tiền {price} đồng mà gia đình tôi chưa được nhận.",
    # wages at a factory
    "Kính gửi: {body}.\nChúng tôi gồm {signers} công nhân đang làm việc tại {company} đóng trên địa bàn "
    "{commune}, {province}. Từ tháng {month} năm {since} công ty chậm trả lương, nợ lương {months} tháng "
    "với tổng số tiền khoảng {price} đồng và không đóng bảo hiểm xã hội cho người lao động. Ngày {d1} "
    "chúng tôi đã đối thoại với ban giám đốc nhưng công ty chỉ hứa hẹn mà không thực hiện. Chúng tôi "
    "đề nghị cơ quan chức năng thanh tra, buộc công ty trả đủ lương và đóng bảo hiểm cho người lao động.",
    # pollution
    "Kính gửi: {body}.\nChúng tôi là các hộ dân sinh sống tại {hamlet}, {commune}, {province}. Từ năm "
    "{since} đến nay cơ sở sản xuất của {company} xả nước thải chưa qua xử lý ra mương thủy lợi và gây "
    "mùi hôi thối nặng, nhất là vào ban đêm. Nhiều hộ có người bị bệnh đường hô hấp, {area} m2 lúa và "
    "hoa màu bị chết. Ngày {d1} đoàn kiểm tra của huyện đã lập biên bản số {dec}/BB-KT nhưng cơ sở vẫn "
    "tiếp tục hoạt động. Chúng tôi đề nghị đình chỉ hoạt động xả thải và xử lý nghiêm vi phạm.",
    # BOT toll
    "Kính gửi: {body}.\nTôi tên là {name}, trú tại {commune}, hằng ngày phải đi qua trạm thu phí BOT tại "
    "Km{km} Quốc lộ {road} để đi làm. Nhà tôi cách trạm chỉ {dist} km nhưng vẫn phải trả phí {fee} đồng "
    "mỗi lượt, mỗi tháng mất khoảng {price} đồng. Việc đặt trạm thu phí trên tuyến đường cũ không có "
    "đường thay thế là không hợp lý. Tôi đề nghị xem xét miễn, giảm phí cho người dân các xã lân cận "
    "trạm theo Thông báo số {dec}/TB-BGTVT ngày {d1}.",
    # denunciation of an official
    "Kính gửi: {body}.\nTôi làm đơn này tố cáo ông {other}, cán bộ địa chính {commune}, đã có hành vi "
    "nhận tiền của người dân khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất. Cụ thể ngày {d1} "
    "ông {other} nhận của gia đình bà {name2} số tiền {price} đồng để hoàn thiện hồ sơ thửa đất số "
    "{plot}, tờ bản đồ số {sheet}. Nhiều hộ khác trong {hamlet} cũng phải đưa tiền mới được giải quyết "
    "hồ sơ. Đề nghị cơ quan có thẩm quyền xác minh, làm rõ và xử lý nghiêm theo quy định của pháp luật.",
    # noise / public order
    "Kính gửi: {body}.\nTôi là {name}, trú tại {hamlet}, {commune}. Từ tháng {month} năm {since}, quán "
    "karaoke của hộ kinh doanh {other} hoạt động đến {hour} giờ đêm, mở nhạc rất to, khách say rượu gây "
    "mất trật tự. Ngày {d1} công an xã đã lập biên bản nhưng tình trạng vẫn tiếp diễn. Tôi đề nghị cơ "
    "quan chức năng kiểm tra giấy phép kinh doanh và xử lý dứt điểm.",
    # housing permit
    "Kính gửi: {body}.\nTôi là {name}, sinh năm {born}, có nhà ở tại thửa đất số {plot}, {hamlet}, "
    "{commune}. Ngày {d1} tôi nộp hồ sơ xin cấp giấy phép xây dựng nhà ở riêng lẻ, diện tích xây dựng "
    "{area} m2, nhưng đến nay đã quá {days} ngày mà chưa được cấp phép, cũng không có văn bản nêu lý do. "
    "Tôi đề nghị giải quyết hồ sơ theo đúng thời hạn quy định.",
    # short proposal
    "Kính gửi: {body}.\nĐoạn đường liên thôn từ {hamlet} đi {commune} dài {dist} km đã xuống cấp nghiêm "
    "trọng, nhiều ổ gà, mùa mưa ngập sâu. Đề nghị sớm sửa chữa để người dân đi lại an toàn.",
    # land certificate delay
    "Kính gửi: {body}.\nTôi tên là {name}, trú tại {hamlet}, {commune}, {province}. Năm {since} tôi nhận "
    "chuyển nhượng thửa đất số {plot}, tờ bản đồ số {sheet}, diện tích {area} m2 của ông {other} theo hợp "
    "đồng đã công chứng số {dec}. Ngày {d1} tôi nộp hồ sơ đăng ký biến động đất đai nhưng đến nay văn "
    "phòng đăng ký đất đai vẫn chưa cấp giấy chứng nhận và yêu cầu bổ sung nhiều giấy tờ không có trong "
    "quy định. Tôi đề nghị giải quyết dứt điểm hồ sơ của tôi.",
]
ADDED = [
    " Tôi đã gửi đơn này lần thứ nhất ngày {d2} nhưng đến nay chưa nhận được trả lời.",
    " Kèm theo đơn là bản sao quyết định và các giấy tờ liên quan.",
    " Rất mong được quan tâm giải quyết. Tôi xin chân thành cảm ơn.",
]
TELEX = {"ă": "aw", "â": "aa", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "đ": "dd"}


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2019, 2026)}"


@dataclass
class Facts:
    template: int
    slots: dict[str, str] = field(default_factory=dict)


def random_facts(rng: random.Random, template: int | None = None) -> Facts:
    commune = rng.choice(COMMUNES)
    province = rng.choice(PROVINCES)
    slots = {
        "name": _person(rng),
        "name2": _person(rng),
        "other": _person(rng),
        "born": str(rng.randint(1945, 1995)),
        "hamlet": rng.choice(HAMLETS),
        "commune": commune,
        "province": province,
        "plot": str(rng.randint(1, 999)),
        "plot2": str(rng.randint(1, 999)),
        "sheet": str(rng.randint(1, 60)),
        "area": str(rng.randint(40, 2500)),
        "since": str(rng.randint(1993, 2024)),
        "d1": _date(rng),
        "d2": _date(rng),
        "dec": str(rng.randint(10, 4999)),
        "project": rng.choice(PROJECTS),
        "price": f"{rng.randint(2, 900) * 100_000:,}".replace(",", "."),
        "strip": str(rng.randint(3, 60)),
        "month": str(rng.randint(1, 12)),
        "days": str(rng.randint(20, 200)),
        "signers": str(rng.randint(5, 300)),
        "company": rng.choice(COMPANIES),
        "months": str(rng.randint(2, 9)),
        "km": str(rng.randint(10, 300)),
        "road": str(rng.choice([1, 5, 10, 18, 38, 39])),
        "dist": str(rng.randint(1, 9)),
        "fee": f"{rng.choice([15, 25, 35, 40])}.000",
        "hour": str(rng.choice([1, 2, 3])),
    }
    slots["body"] = rng.choice(BODIES).format(commune=commune, province=province)
    return Facts(rng.randrange(len(TEMPLATES)) if template is None else template, slots)


def render(facts: Facts) -> str:
    return TEMPLATES[facts.template].format(**facts.slots)


# --- how the same petition arrives again ---------------------------------------------------------


def strip_marks(text: str, share: float, rng: random.Random) -> str:
    """Remove the diacritics of a share of the words (1.0: all of them)."""
    words = text.split(" ")
    out = []
    for word in words:
        if rng.random() < share:
            word = word.replace("đ", "d").replace("Đ", "D")
            word = "".join(
                ch for ch in unicodedata.normalize("NFD", word) if unicodedata.category(ch) != "Mn"
            )
        out.append(word)
    return unicodedata.normalize("NFC", " ".join(out))


def typos(text: str, count: int, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(count):
        i = rng.randrange(1, len(chars) - 1)
        op = rng.random()
        if chars[i] in TELEX and op < 0.2:
            chars[i] = TELEX[chars[i]]
        elif op < 0.4:
            del chars[i]
        elif op < 0.6:
            chars.insert(i, chars[i])
        elif op < 0.8:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = rng.choice("aeinoturhcgm")
    return "".join(chars)


def another_body(facts: Facts, rng: random.Random) -> Facts:
    slots = dict(facts.slots)
    choices = [b for b in BODIES if b.format(**slots) != slots["body"]]
    slots["body"] = rng.choice(choices).format(**slots)
    return replace(facts, slots=slots)


def reflow(text: str, rng: random.Random) -> str:
    text = text.replace("\n", " ") if rng.random() < 0.5 else text.replace(". ", ".\n")
    return text.upper() if rng.random() < 0.1 else text.replace(", ", " , ", rng.randint(0, 3))


def positive(facts: Facts, rng: random.Random) -> tuple[str, str]:
    """Another copy of the same petition and the name of the change."""
    kind = rng.choice(["no_marks", "half_marks", "typos", "other_body", "added", "reflow", "mixed"])
    text = render(facts)
    if kind == "no_marks":
        return strip_marks(text, 1.0, rng), kind
    if kind == "half_marks":
        return strip_marks(text, 0.5, rng), kind
    if kind == "typos":
        return typos(text, rng.randint(1, 6), rng), kind
    if kind == "other_body":
        return render(another_body(facts, rng)), kind
    if kind == "added":
        return text + rng.choice(ADDED).format(**facts.slots), kind
    if kind == "reflow":
        return reflow(text, rng), kind
    moved = render(another_body(facts, rng)) if rng.random() < 0.5 else text
    return typos(strip_marks(moved, rng.random(), rng), rng.randint(1, 4), rng), kind


def hard_negative(facts: Facts, rng: random.Random) -> tuple[str, str]:
    """The same form letter from another household: same template, project, decision and
    addressee; another name, plot, sheet, area, amount."""
    other = random_facts(rng, facts.template)
    slots = dict(other.slots)
    for keep in ("project", "dec", "body", "commune", "province", "company", "d1", "road", "km"):
        slots[keep] = facts.slots[keep]
    text = render(Facts(facts.template, slots))
    if rng.random() < 0.3:
        text = strip_marks(text, 1.0, rng)
    return text, "hard_negative"


def other_facts(facts: Facts, rng: random.Random) -> tuple[str, str]:
    return render(random_facts(rng, facts.template)), "same_template"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    duplicate: bool
    variant: str


def pairs(n_bases: int, seed: int = 7) -> Iterator[Pair]:
    """For each base petition: 3 positives, 2 hard negatives, 1 same-template and 1 random."""
    rng = random.Random(seed)
    for _ in range(n_bases):
        facts = random_facts(rng)
        base = render(facts)
        for _ in range(3):
            text, variant = positive(facts, rng)
            yield Pair(base, text, True, variant)
        for _ in range(2):
            text, variant = hard_negative(facts, rng)
            yield Pair(base, text, False, variant)
        text, variant = other_facts(facts, rng)
        yield Pair(base, text, False, variant)
        yield Pair(base, render(random_facts(rng)), False, "random")


def corpus_texts(n: int, seed: int = 11) -> Iterator[str]:
    """``n`` distinct petitions (for filling a benchmark database)."""
    rng = random.Random(seed)
    for _ in range(n):
        yield render(random_facts(rng))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2)
    args = parser.parse_args()
    for pair in pairs(args.n):
        print(f"--- {pair.variant} duplicate={pair.duplicate}\n{pair.a}\n>>>\n{pair.b}\n")


if __name__ == "__main__":
    main()

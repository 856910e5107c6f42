"""What each document says: one template per kind, as data, and the configurable texts.

A template is an ordered list of blocks (a title, a field, a paragraph, a table
row, the QR code…) whose text holds ``{placeholders}`` filled from the document's
data. Fixed wording — the next-step sentence on a receipt, the legal notices, the
six prohibited behaviours of art. 26 — lives in :data:`TEXTS` under a key and is
referenced as ``@key``; an administrator may override any key with a TOML file
(the ``document_texts`` setting), so the printed legal text can follow a
locality's wording or a later amendment without touching the layout code. The
default wording follows the 《信访工作条例》 (2022); check it against the official
text before a deployment relies on it.

Layout (``layout.py``) knows how to draw each block type on an 80 mm roll and on
A4; nothing here knows about points or fonts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from desktop.documents.model import DocumentKind, Media
from desktop.domain.indicators import DISSATISFIED_WORDS
from desktop.domain.queue import MISSED_RULE


class BlockType(StrEnum):
    HALL = "hall"            # the hall's name above a receipt's title
    TITLE = "title"          # the document's title, centred
    RULE = "rule"            # a separator line
    BIG = "big"              # a label, then a large value (case number, query code, ticket number)
    QR = "qr"                # the lookup QR code of a receipt, with a caption
    FIELD = "field"          # "label：value" with the value's lines hanging under itself
    HEADING = "heading"      # a section heading of a notice (一、…)
    PARA = "para"            # a body paragraph (first line indented two characters on A4)
    ITEMS = "items"          # numbered items, one per line of the text: （一）…
    NOTE = "note"            # small print
    ROW = "row"              # one row of a form's table: label | value [| label2 | value2]
    ADDRESSEE = "addressee"  # the 称谓 line of a notice: “张*：”
    SIGNATURE = "signature"  # issuing organisation, date in Chinese and the seal position
    SIGN_HERE = "sign_here"  # lines for a signature by hand (签收)
    SPACE = "space"          # vertical space, in lines


@dataclass(frozen=True)
class Block:
    """One element of a template.

    ``text`` is a template with ``{placeholders}`` or ``@key`` for a configurable
    text (the key itself may hold placeholders: ``@opinion.outcome.{outcome}``).
    ``when``/``unless`` name a data key whose truth decides whether the block prints (``a&b``: both keys true).
    """

    type: BlockType
    text: str = ""
    label: str = ""
    when: str = ""
    unless: str = ""
    size: float = 0.0
    label2: str = ""  # a table row's second pair (left out when its text comes out empty)
    text2: str = ""


@dataclass(frozen=True)
class Template:
    kind: DocumentKind
    media: Media
    title: str
    #: The word of the document number: 受 → 浦江信访〔2026〕受字第12号; empty: no number.
    number_word: str
    blocks: tuple[Block, ...]
    #: A4 forms (转送单, 交办单) have a compact heading: the organisation's name, the title and the
    #: number on three short lines, so that the table and the seal fit on one page.
    form: bool = False
    #: Smaller body type (14 pt, 32 characters a line) for a long handout such as the rights notice.
    compact: bool = False


B = BlockType

# -- the configurable texts -------------------------------------------------------------------

TEXTS: Final[Mapping[str, str]] = MappingProxyType({
    # 80 mm receipts
    "receipt.next_step": "下一步：本中心将依法转送、交办有权处理的机关、单位，或告知您依法处理的途径，"
                         "将于{route_due_cn}前告知您。",
    "receipt.progress": "办理进度（截至{issued_on_cn}）：{progress}。",
    "receipt.unverified": "（该期限所在年份的节假日安排尚未导入，期限未经核实）",
    "receipt.rights": "凭案件编号和查询码，可扫描二维码或在自助终端查询办理进度、评价办理结果；补充材料请到"
                      "接待窗口。查询码只打印这一次，请妥善保管本回执，不要交给他人。",
    "receipt.no_code": "本回执为补打件，不含查询码。如需查询，请持身份证件到窗口重新领取查询码。",
    "queue.note": f"请留意大厅显示屏和语音叫号；{MISSED_RULE}。",
    "rating.thanks": "您的评价已记录，感谢您对信访工作的监督。",
    "rating.dissatisfied": DISSATISFIED_WORDS,
    "suggestion.next_step": "请妥善保管本回执，凭建议编号可到接待窗口了解建议的办理和采纳情况。"
                            "感谢您为我们的工作建言献策。",
    "suggestion.anonymous": "（匿名建议：采纳后无法与您联系，请凭编号到窗口询问）",
    # 受理告知书
    "acceptance.body": "你于{received_on_cn}提出的信访事项（案件编号：{case_number}），经审查，符合受理条件，"
                       "本机关已于{accepted_on_cn}依法受理。",
    "acceptance.deadline": "本机关将自受理之日起60日内办结，并向你出具书面处理意见；情况复杂的，经本机关负责人批准，"
                           "可以适当延长办理期限，但延长期限不得超过30日，并将延期理由告知你"
                           "（《信访工作条例》第三十四条）。本事项的办结期限为{handling_due_cn}。",
    "acceptance.query": "你可以凭案件编号和查询码在自助终端或网上查询办理进度。特此告知。",
    # 不予受理告知书
    "non_acceptance.body": "你于{received_on_cn}提出的信访事项（案件编号：{case_number}），经审查，{reason}。"
                           "根据《信访工作条例》的有关规定，本机关对该信访事项不予受理。",
    "non_acceptance.channel": "你可以{channel}。",
    "non_acceptance.end": "特此告知。",
    # 转送单 / 交办单 / 领导接访交办单
    "transfer.body": "现将{petitioner_name}反映的信访事项转送你单位，请依法处理。",
    "transfer.requirement": "请依照《信访工作条例》第二十三条的规定，自收到之日起15日内书面告知信访人接收情况以及"
                            "处理途径和程序，并依法办理。对不属于你单位职权范围的，请自收到之日起5个工作日内向本机关"
                            "提出异议，并详细说明理由。",
    "assignment.body": "现将{petitioner_name}反映的信访事项交办你单位，请于{due_cn}前办结，"
                       "并将办理结果书面报告本机关。",
    "assignment.requirement": "请依照《信访工作条例》第二十二条的规定认真办理，按期办结并报告办理结果。"
                              "办理中如有困难或异议，请及时与本机关联系；逾期未办结的，本机关将依规督办。",
    "leader.body": "{leader}于{reception_on_cn}领导接访日接待了{petitioner_name}。现将接访中形成的处理意见交办你单位，"
                   "请于{due_cn}前办结，并将办理结果书面报告{issuing_organisation}。",
    "leader.requirement": "请责任单位主要负责人亲自研究，按照访后限期办结的要求落实领导接访意见，"
                          "做好信访人的解释疏导工作。",
    "secrecy": "本件属于检举控告类信访事项，请严格保密，不得将检举控告材料及有关情况透露或者转送给"
               "被检举控告的人员或者单位（《信访工作条例》第三十条）。",
    # 延期告知书
    "extension.body": "你于{received_on_cn}提出、本机关于{accepted_on_cn}受理的信访事项（案件编号：{case_number}），"
                      "因{reason}，经本机关负责人批准，办理期限延长{extended_days}日，延长后的办结期限为{handling_due_cn}。",
    "extension.basis": "信访事项应当自受理之日起60日内办结；情况复杂的，经本机关负责人批准，可以适当延长办理期限，"
                       "但延长期限不得超过30日，并告知信访人延期理由（《信访工作条例》第三十四条）。特此告知。",
    # 处理（复查、复核）意见书
    "opinion.intro": "你于{received_on_cn}提出的信访事项（案件编号：{case_number}），本机关已依法受理。"
                     "经调查核实，现将{stage}意见答复如下：",
    "opinion.outcome.予以支持": "{stage}结果：予以支持。你的请求事实清楚，符合法律、法规、规章或者其他有关规定，"
                                "本机关予以支持，并将督促有关单位落实（《信访工作条例》第三十二条）。",
    "opinion.outcome.解释说明": "{stage}结果：解释说明。你的请求事由合理，但缺乏法律依据，"
                                "本机关已作出解释说明，请予理解（《信访工作条例》第三十二条）。",
    "opinion.outcome.不予支持": "{stage}结果：不予支持。你的请求缺乏事实根据或者不符合法律、法规、规章或者"
                                "其他有关规定，本机关不予支持（《信访工作条例》第三十二条）。",
    "opinion.right.处理": "如不服本处理意见，可以自收到本意见书之日起30日内向{review_organisation}请求复查"
                          "（《信访工作条例》第三十五条）。",
    "opinion.right.复查": "如不服本复查意见，可以自收到本意见书之日起30日内向{review_organisation}请求复核"
                          "（《信访工作条例》第三十六条）。",
    "opinion.right.复核": "本复核意见为最终意见。信访人对复核意见不服，仍然以同一事实和理由提出投诉请求的，"
                          "不再受理（《信访工作条例》第三十六条）。",
    # 复查、复核申请回执
    "review.body": "你于{requested_on_cn}提出的复查请求（原信访事项的案件编号：{case_number}），本机关已收到。",
    "review.deadline": "本机关将自收到复查请求之日起30日内提出复查意见，并予以书面答复（《信访工作条例》第三十五条）；"
                       "复查意见的答复期限为{answer_due_cn}。特此回执。",
    "rereview.body": "你于{requested_on_cn}提出的复核请求（原信访事项的案件编号：{case_number}），本机关已收到。",
    "rereview.deadline": "本机关将自收到复核请求之日起30日内提出复核意见，并予以书面答复；"
                         "复核机关可以按照有关规定举行听证，听证所需时间不计算在此期限内"
                         "（《信访工作条例》第三十六条）。复核意见的答复期限为{answer_due_cn}。特此回执。",
    # 信访人权利义务告知书
    "rights.intro": "为保障你依法、有序反映诉求，根据《信访工作条例》，现将信访人在信访活动中享有的权利和应当履行的义务"
                    "告知如下：",
    "rights.rights": "\n".join((
        "通过信息网络、书信、电话、传真、走访等形式，向有关机关、单位反映情况，提出建议、意见或者投诉请求"
        "（第十七条）。",
        "所提信访事项依法予以登记；有权处理的机关、单位能够当场告知的当场书面告知，不能当场告知的，"
        "自收到信访事项之日起15日内书面告知接收情况以及处理途径和程序（第二十二条、第二十三条）。",
        "凭登记回执上的案件编号和查询码查询信访事项的办理进度和结果，并对办理情况作出评价（第二十一条）。",
        "办理信访事项的工作人员与信访事项或者信访人有直接利害关系的，应当回避（第二十八条）。",
        "检举控告的材料及有关情况，不得透露或者转送给被检举控告的人员或者单位（第三十条）。",
        "对处理意见不服的，可以自收到书面答复之日起30日内请求上一级机关、单位复查；对复查意见不服的，"
        "可以自收到书面答复之日起30日内请求复核（第三十五条、第三十六条）。",
    )),
    "rights.duties": "\n".join((
        "提出信访事项应当客观真实，对所提供材料内容的真实性负责，不得捏造、歪曲事实，不得诬告、陷害他人（第十九条）。",
        "采用走访形式的，应当到有权处理的本级或者上一级机关、单位设立或者指定的接待场所提出；多人采用走访形式提出"
        "共同的信访事项的，应当推选代表，代表人数不超过5人（第二十条）。",
        "信访事项已经受理或者正在办理的，在规定期限内向上级机关、单位又提出同一信访事项的，上级机关、单位不予受理"
        "（第十九条）。",
        "对依法应当通过诉讼、仲裁、行政复议等法定途径解决的投诉请求，依照法律、行政法规规定的程序向有关机关提出"
        "（第三十一条）。",
    )),
    "rights.prohibited_intro": "信访人在信访过程中应当遵守法律、法规，不得损害国家、社会、集体的利益和"
                               "其他公民的合法权利，自觉维护社会公共秩序和信访秩序，不得有下列行为"
                               "（《信访工作条例》第二十六条）：",
    "rights.prohibited": "\n".join((
        "在机关、单位办公场所周围、公共场所非法聚集，围堵、冲击机关、单位，拦截公务车辆，或者堵塞、阻断交通；",
        "携带危险物品、管制器具；",
        "侮辱、殴打、威胁机关、单位工作人员，非法限制他人人身自由，或者毁坏财物；",
        "在信访接待场所滞留、滋事，或者将生活不能自理的人弃留在信访接待场所；",
        "煽动、串联、胁迫、以财物诱使、幕后操纵他人信访，或者以信访为名借机敛财；",
        "其他扰乱公共秩序、妨害国家和公共安全的行为。",
    )),
    "rights.consequence": "违反上述规定的，有关机关、单位工作人员将进行劝阻、批评或者教育；滋事扰序、缠访闹访情节严重，"
                          "构成违反治安管理行为的，或者违反集会游行示威相关法律法规的，由公安机关依法采取必要的现场处置措施、"
                          "给予治安管理处罚；构成犯罪的，依法追究刑事责任（《信访工作条例》第四十七条）。",
    "rights.acknowledge": "以上内容我已阅读（听取）并知悉。",
    # 领导接访日: the visitor's slip, the leader's office's list, the briefing dossier
    # said only with the hall's phone number printed: no slip tells people to phone a number it does not give
    "appointment.call": "不能按时到达的，请提前拨打{hall_phone}告知，以便安排其他来访人。",
    # a place on the waiting list has no time yet to be late for: what it can tell the hall is that it needs none
    "appointment.call_waiting": "如不再需要候补，请拨打{hall_phone}告知，以便递补其他来访人。",
    # the kiosk's 预约成功 screen, in large type: what to bring and when to come (as the slip's note says)
    "appointment.bring": "身份证和预约回执",
    "appointment.waiting": "本接访日已约满，您已登记为候补；有人取消时按顺序递补，届时电话通知。",
    "reception_list.body": "{reception_on_cn}领导接访日（接访领导：{leaders}；地点：{place}）已预约{count}批次，"
                           "名单如下，请提前安排参加接访的单位负责人和有关材料。",
    "brief.intro": "来访人{petitioner_name}预约于{reception_on_cn} {slot}参加领导接访。"
                   "以下为系统汇总的该来访人此前信访事项及办理情况，供接访领导阅知。",
})

# -- the templates ----------------------------------------------------------------------------

_SECRECY = Block(B.PARA, "@secrecy", when="accusation")

TEMPLATES: Final[Mapping[DocumentKind, Template]] = MappingProxyType({t.kind: t for t in (
    Template(DocumentKind.REGISTRATION_RECEIPT, Media.ROLL_80, "信访事项登记回执", "", (
        Block(B.HALL, "{hall_name}"),
        Block(B.TITLE, "信访事项登记回执"),
        Block(B.RULE),
        Block(B.BIG, "{case_number}", label="案件编号", size=15),
        Block(B.BIG, "{query_code_display}", label="查询码", size=22, when="query_code"),
        Block(B.NOTE, "@receipt.no_code", unless="query_code"),
        Block(B.QR, "扫码查询办理进度", when="qr_payload"),
        Block(B.RULE),
        Block(B.FIELD, "{petitioner_name}", label="信访人"),
        Block(B.FIELD, "{id_number}", label="证件号码", when="id_number"),
        Block(B.FIELD, "{received_at_cn}", label="登记时间"),
        Block(B.FIELD, "{window}", label="接待窗口", when="window"),
        Block(B.SPACE, size=0.4),
        Block(B.PARA, "@receipt.next_step", unless="progress"),
        Block(B.NOTE, "@receipt.unverified", when="route_due_unverified", unless="progress"),
        # a receipt printed again once the case has moved on: where it is now, not the first 下一步
        Block(B.PARA, "@receipt.progress", when="progress"),
        Block(B.RULE),
        Block(B.FIELD, "{hall_address}", label="地址", when="hall_address"),
        Block(B.FIELD, "{hall_phone}", label="电话", when="hall_phone"),
        Block(B.NOTE, "@receipt.rights"),
    )),
    Template(DocumentKind.QUEUE_TICKET, Media.ROLL_80, "排队号票", "", (
        Block(B.HALL, "{hall_name}"),
        Block(B.TITLE, "排队号票"),
        Block(B.RULE),
        Block(B.BIG, "{ticket_number}", label="您的号码", size=44),
        Block(B.BIG, "优先办理", size=16, when="priority"),
        Block(B.FIELD, "{priority_reason}", label="优先原因", when="priority_reason"),
        Block(B.FIELD, "{window_type}", label="办理业务"),
        Block(B.FIELD, "{people_ahead}人", label="前面等候"),
        Block(B.FIELD, "约{estimated_wait}分钟", label="预计等候", when="estimated_wait"),
        Block(B.FIELD, "{issued_at_cn}", label="取号时间"),
        Block(B.RULE),
        Block(B.NOTE, "@queue.note"),
    )),
    Template(DocumentKind.RATING_RECEIPT, Media.ROLL_80, "评价回执", "", (
        Block(B.HALL, "{hall_name}"),
        Block(B.TITLE, "评价回执"),
        Block(B.RULE),
        Block(B.FIELD, "{case_number}", label="案件编号"),
        Block(B.FIELD, "{petitioner_name}", label="信访人", when="petitioner_name"),
        Block(B.BIG, "{rating}", label="评价结果", size=20),
        Block(B.FIELD, "{rated_at_cn}", label="评价时间"),
        Block(B.RULE),
        Block(B.PARA, "@rating.dissatisfied", when="dissatisfied"),
        Block(B.PARA, "{review}。", when="review"),
        Block(B.FIELD, "{help_address}", label="咨询地址", when="help_address"),
        Block(B.FIELD, "{help_phone}", label="咨询电话", when="help_phone"),
        Block(B.NOTE, "@rating.thanks"),
    )),
    Template(DocumentKind.SUGGESTION_RECEIPT, Media.ROLL_80, "人民建议回执", "", (
        Block(B.HALL, "{hall_name}"),
        Block(B.TITLE, "人民建议回执"),
        Block(B.RULE),
        Block(B.BIG, "{suggestion_number}", label="建议编号", size=15),
        Block(B.FIELD, "{theme}", label="建议主题"),
        Block(B.FIELD, "{submitted_on_cn}", label="提交日期"),
        Block(B.NOTE, "@suggestion.anonymous", when="anonymous"),
        Block(B.RULE),
        Block(B.PARA, "@suggestion.next_step"),
        Block(B.FIELD, "{hall_address}", label="地址", when="hall_address"),
        Block(B.FIELD, "{hall_phone}", label="电话", when="hall_phone"),
    )),
    Template(DocumentKind.ACCEPTANCE_NOTICE, Media.A4, "信访事项受理告知书", "受", (
        Block(B.ADDRESSEE, "{petitioner_name}："),
        Block(B.PARA, "@acceptance.body"),
        Block(B.PARA, "@acceptance.deadline"),
        Block(B.PARA, "@acceptance.query"),
        Block(B.SIGNATURE),
    )),
    Template(DocumentKind.NON_ACCEPTANCE_NOTICE, Media.A4, "信访事项不予受理告知书", "不受", (
        Block(B.ADDRESSEE, "{petitioner_name}："),
        Block(B.PARA, "@non_acceptance.body"),
        Block(B.PARA, "依据：{basis}。", when="basis"),
        Block(B.PARA, "@non_acceptance.channel"),
        Block(B.PARA, "{channel_contact}", when="channel_contact"),
        Block(B.PARA, "@non_acceptance.end"),
        Block(B.SIGNATURE),
    )),
    Template(DocumentKind.TRANSFER_FORM, Media.A4, "信访事项转送单", "转", (
        Block(B.ADDRESSEE, "{recipient_name}："),
        Block(B.PARA, "@transfer.body"),
        _SECRECY,
        Block(B.SPACE, size=0.3),
        Block(B.ROW, "{case_number}", label="事项编号", label2="登记日期", text2="{received_on_cn}"),
        Block(B.ROW, "{petitioner_name}", label="信访人", label2="联系电话", text2="{phone}"),
        Block(B.ROW, "{address}", label="住址", when="address"),
        Block(B.ROW, "{channel}", label="信访形式", label2="人数", text2="{persons_count}人"),
        Block(B.ROW, "{request}", label="信访诉求"),
        Block(B.ROW, "{facts_reasons}", label="事实和理由", when="facts_reasons"),
        Block(B.ROW, "@transfer.requirement", label="办理要求"),
        Block(B.ROW, "{remark}", label="备注", when="remark"),
        Block(B.SIGNATURE),
    ), form=True),
    Template(DocumentKind.ASSIGNMENT_FORM, Media.A4, "信访事项交办单", "交", (
        Block(B.ADDRESSEE, "{recipient_name}："),
        Block(B.PARA, "@assignment.body"),
        _SECRECY,
        Block(B.SPACE, size=0.3),
        Block(B.ROW, "{case_number}", label="事项编号", label2="登记日期", text2="{received_on_cn}"),
        Block(B.ROW, "{petitioner_name}", label="信访人", label2="联系电话", text2="{phone}"),
        Block(B.ROW, "{address}", label="住址", when="address"),
        Block(B.ROW, "{channel}", label="信访形式", label2="人数", text2="{persons_count}人"),
        Block(B.ROW, "{request}", label="信访诉求"),
        Block(B.ROW, "{facts_reasons}", label="事实和理由", when="facts_reasons"),
        Block(B.ROW, "{requirement}", label="交办意见", when="requirement"),
        Block(B.ROW, "@assignment.requirement", label="办理要求"),
        Block(B.ROW, "{due_cn}", label="办结期限"),
        Block(B.SIGNATURE),
    ), form=True),
    Template(DocumentKind.LEADER_ASSIGNMENT_FORM, Media.A4, "领导接访交办单", "接访交", (
        Block(B.ADDRESSEE, "{recipient_name}："),
        Block(B.PARA, "@leader.body"),
        _SECRECY,
        Block(B.SPACE, size=0.3),
        Block(B.ROW, "{case_number}", label="事项编号", label2="接访日期", text2="{reception_on_cn}"),
        Block(B.ROW, "{leader}", label="接访领导", label2="责任单位", text2="{recipient_name}"),
        Block(B.ROW, "{petitioner_name}", label="信访人", label2="联系电话", text2="{phone}"),
        Block(B.ROW, "{case_phone}", label="登记电话", when="case_phone"),
        Block(B.ROW, "{visit_request}", label="本次诉求", when="visit_request"),
        Block(B.ROW, "{request}", label="登记诉求", when="visit_request"),
        Block(B.ROW, "{request}", label="信访诉求", when="request_alone"),
        Block(B.ROW, "{instruction}", label="领导意见"),
        Block(B.ROW, "@leader.requirement", label="办理要求"),
        Block(B.ROW, "{due_cn}", label="办结期限"),
        Block(B.SIGNATURE),
    ), form=True),
    Template(DocumentKind.EXTENSION_NOTICE, Media.A4, "信访事项延长办理期限告知书", "延", (
        Block(B.ADDRESSEE, "{petitioner_name}："),
        Block(B.PARA, "@extension.body"),
        Block(B.PARA, "@extension.basis"),
        Block(B.SIGNATURE),
    )),
    Template(DocumentKind.OPINION, Media.A4, "信访事项{stage}意见书", "意", (
        Block(B.ADDRESSEE, "{petitioner_name}："),
        Block(B.PARA, "@opinion.intro"),
        Block(B.HEADING, "一、你的请求"),
        Block(B.PARA, "{request}"),
        Block(B.HEADING, "二、查明的事实"),
        Block(B.PARA, "{facts_found}"),
        Block(B.HEADING, "三、{stage}意见及依据"),
        Block(B.PARA, "{opinion}"),
        Block(B.PARA, "依据：{basis}。", when="basis"),
        Block(B.PARA, "@opinion.outcome.{outcome}"),
        Block(B.PARA, "@opinion.right.{stage}"),
        Block(B.SIGNATURE),
    )),
    Template(DocumentKind.REVIEW_RECEIPT, Media.A4, "复查申请回执", "复查收", (
        Block(B.ADDRESSEE, "{petitioner_name}："),
        Block(B.PARA, "@review.body"),
        Block(B.PARA, "@review.deadline"),
        Block(B.SIGNATURE),
    )),
    Template(DocumentKind.REREVIEW_RECEIPT, Media.A4, "复核申请回执", "复核收", (
        Block(B.ADDRESSEE, "{petitioner_name}："),
        Block(B.PARA, "@rereview.body"),
        Block(B.PARA, "@rereview.deadline"),
        Block(B.SIGNATURE),
    )),
    Template(DocumentKind.RIGHTS_NOTICE, Media.A4, "信访人权利义务告知书", "", (
        Block(B.ADDRESSEE, "{petitioner_name}：", when="petitioner_name"),
        Block(B.PARA, "@rights.intro"),
        Block(B.HEADING, "一、信访人的权利"),
        Block(B.ITEMS, "@rights.rights"),
        Block(B.HEADING, "二、信访人的义务"),
        Block(B.ITEMS, "@rights.duties"),
        Block(B.HEADING, "三、信访人不得有下列行为"),
        Block(B.PARA, "@rights.prohibited_intro"),
        Block(B.ITEMS, "@rights.prohibited"),
        Block(B.PARA, "@rights.consequence"),
        Block(B.SIGNATURE),
        Block(B.SIGN_HERE, "@rights.acknowledge"),
    ), compact=True),
    Template(DocumentKind.APPOINTMENT_SLIP, Media.ROLL_80, "领导接访预约回执", "", (
        Block(B.HALL, "{hall_name}"),
        Block(B.TITLE, "领导接访预约回执"),
        Block(B.RULE),
        # the day of the week as the kiosk's screen said it (12月15日（星期二）): the slip is read at home, later
        Block(B.BIG, "{reception_on_cn}（{reception_on_week}）", label="接访日期", size=15, unless="waiting"),
        Block(B.BIG, "{slot}", label="接访时段", size=22, unless="waiting"),
        # on the waiting list there is no slot yet: its place said as the kiosk says it (候补日期, 候补第1位), not
        # under 接访时段 as if 候补第1位 were a time
        Block(B.BIG, "{reception_on_cn}（{reception_on_week}）", label="候补日期", size=15, when="waiting"),
        Block(B.BIG, "{slot}", label="候补顺序", size=22, when="waiting"),
        Block(B.RULE),
        Block(B.FIELD, "{petitioner_name}", label="来访人"),
        Block(B.FIELD, "{persons_count}人", label="人数"),
        Block(B.FIELD, "{leaders}", label="接访领导"),
        Block(B.FIELD, "{place}", label="地点", when="place"),
        Block(B.FIELD, "{case_number}", label="案件编号", when="case_number"),
        Block(B.SPACE, size=0.4),
        Block(B.PARA, "@appointment.waiting", when="waiting"),
        Block(B.NOTE, "{arrival_note}。", when="arrival_note"),
        Block(B.NOTE, "@appointment.call", when="hall_phone", unless="waiting"),
        Block(B.NOTE, "@appointment.call_waiting", when="waiting&hall_phone"),
        Block(B.RULE),
        Block(B.FIELD, "{hall_address}", label="地址", when="hall_address"),
        Block(B.FIELD, "{hall_phone}", label="电话", when="hall_phone"),
    )),
    Template(DocumentKind.RECEPTION_LIST, Media.A4, "领导接访预约名单", "", (
        Block(B.PARA, "@reception_list.body"),
        Block(B.ROW, "{waiting_count}批次，有人取消时按顺序递补（名单中标为“候补”）", label="另有候补",
              when="waiting_count"),
        Block(B.ROW, "{units}", label="参加单位", when="units"),
        Block(B.ROW, "{topics}", label="接访主题", when="topics"),
        Block(B.SPACE, size=0.3),
        Block(B.ITEMS, "{lines}"),
        Block(B.SIGNATURE),
    ), form=True),
    Template(DocumentKind.RECEPTION_BRIEF, Media.A4, "领导接访情况简报", "", (
        Block(B.PARA, "@brief.intro"),
        Block(B.SPACE, size=0.3),
        Block(B.ROW, "{petitioner_name}", label="来访人", label2="人数", text2="{persons_count}人"),
        Block(B.ROW, "{summary}", label="本次诉求", when="summary"),
        Block(B.ROW, "{case_count}件", label="此前事项"),
        Block(B.ROW, "{history}", label="信访经历", when="history"),
        Block(B.HEADING, "一、此前信访事项及办理情况"),
        Block(B.ITEMS, "{cases_text}"),
        Block(B.HEADING, "二、工作人员批注", when="notes_text"),
        Block(B.ITEMS, "{notes_text}", when="notes_text"),
        Block(B.SIGNATURE),
    ), form=True),
)})

#: Data keys never stored with a print (the print log drops them); a reprint without them
#: shows no query code and no QR code.
SECRET_KEYS: Final = frozenset({"query_code"})


def template_for(kind: DocumentKind) -> Template:
    return TEMPLATES[kind]


def format_document_number(prefix: str, year: int, word: str, serial: int) -> str:
    """浦江信访〔2026〕受字第12号."""
    return f"{prefix}〔{year}〕{word}字第{serial}号"

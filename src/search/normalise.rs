//! What search sees of a text: each character normalised on its own, then cut
//! into units. `search.js` does exactly the same to the query (same ranges,
//! and the traditional → simplified table it reads from `meta.json`), and a
//! shared fixture (`tests/search-normalise.json`) holds both to it.
//!
//! Normalising maps one character to one character, so that a match found
//! in the normalised text is at the same place in the original one:
//! - full-width ASCII forms (`ＡＢＣ１２３`) become half-width, and the
//!   ideographic space a plain space;
//! - Latin capitals of ASCII and Latin-1 (`A`–`Z`, `À`–`Þ`) become small;
//! - about 600 of the most common traditional characters become simplified
//!   ([`TRADITIONAL`]). Rarer traditional characters stay as they are, and
//!   one-to-many conversions (`乾`, `著`, `瞭`) are left out on purpose: a
//!   text and a query in the same form still find each other.
//!
//! Units: a run of letters and digits (`5g`, `2024`, `guanghe`) is one unit;
//! whitespace and punctuation are no unit at all (so `反诈，宣传` is found by
//! `反诈宣传` and `5G 网络` by `5G网络`); any other character (Chinese,
//! kana, symbols such as `℃`) is a unit by itself.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Traditional → simplified pairs, each written traditional first. Only
/// characters whose simplified form is unambiguous in common use.
pub const TRADITIONAL: &str = "\
國国 會会 這这 個个 們们 來来 時时 為为 爲为 說说 對对 學学 後后 發发 經经 動动 開开 關关 問问 題题 \
現现 實实 長长 還还 當当 與与 種种 過过 點点 頭头 從从 體体 進进 區区 書书 東东 車车 門门 華华 務务 \
產产 業业 電电 話话 機机 幾几 見见 親亲 愛爱 歲岁 員员 園园 圖图 團团 場场 壓压 處处 備备 復复 複复 \
夠够 將将 專专 尋寻 導导 層层 屬属 幫帮 廣广 應应 張张 強强 歸归 態态 總总 戰战 據据 擇择 擊击 數数 \
斷断 舊旧 樂乐 樣样 橋桥 檢检 權权 歷历 曆历 氣气 漢汉 濟济 灣湾 無无 爺爷 狀状 獎奖 環环 畫画 療疗 \
盡尽 監监 盤盘 礎础 禮礼 稱称 穩稳 競竞 筆笔 節节 範范 簡简 級级 紀纪 約约 紅红 純纯 紙纸 組组 細细 \
終终 結结 絡络 給给 統统 絲丝 綠绿 維维 網网 線线 練练 緣缘 縣县 織织 繼继 續续 義义 習习 聖圣 聞闻 \
聯联 聲声 職职 聽听 腦脑 臉脸 舉举 藝艺 蘇苏 蘭兰 號号 衛卫 補补 裝装 製制 規规 視视 覺觉 觀观 計计 \
訊讯 記记 設设 許许 評评 試试 詩诗 該该 認认 語语 誤误 請请 調调 談谈 論论 講讲 證证 識识 議议 護护 \
讀读 變变 讓让 豐丰 貝贝 負负 財财 責责 貨货 質质 購购 費费 資资 賞赏 賣卖 買买 賽赛 趕赶 趙赵 農农 \
運运 遠远 違违 適适 選选 遺遗 邊边 鄉乡 鄰邻 醫医 釋释 針针 鐵铁 錢钱 錯错 鍵键 鎮镇 閱阅 閉闭 間间 \
陣阵 陰阴 陳陈 陸陆 陽阳 隊队 階阶 際际 隨随 險险 雖虽 雙双 雜杂 難难 靈灵 響响 順顺 須须 預预 領领 \
頻频 顏颜 願愿 類类 顧顾 顯显 風风 飛飞 飯饭 飲饮 館馆 馬马 驗验 驚惊 髮发 鬥斗 魚鱼 鳥鸟 麗丽 麥麦 \
黃黄 齊齐 齡龄 龍龙 億亿 價价 優优 儀仪 傳传 傷伤 債债 倉仓 僅仅 係系 則则 剛刚 創创 劃划 劇剧 勞劳 \
勝胜 勢势 勵励 協协 參参 歡欢 單单 嚴严 囑嘱 圍围 堅坚 報报 壞坏 壽寿 夢梦 奮奋 婦妇 媽妈 嬰婴 寶宝 \
寧宁 審审 寫写 屆届 島岛 幣币 庫库 廳厅 廠厂 彎弯 徑径 徵征 憶忆 懷怀 戶户 擁拥 擔担 擴扩 攜携 敵敌 \
暫暂 標标 樓楼 樹树 殺杀 沒没 況况 減减 測测 溫温 滿满 漁渔 潔洁 濕湿 災灾 爐炉 營营 獨独 獲获 畢毕 \
異异 疊叠 盜盗 碼码 確确 礙碍 積积 稅税 窮穷 築筑 糧粮 緊紧 編编 績绩 罷罢 羅罗 聰聪 肅肃 膚肤 膽胆 \
臨临 興兴 艱艰 蓋盖 蔣蒋 薦荐 藥药 蟲虫 衝冲 訂订 訓训 託托 訪访 診诊 詢询 誕诞 課课 諮咨 謝谢 貧贫 \
貴贵 貼贴 賀贺 賓宾 贊赞 讚赞 輕轻 載载 輔辅 輛辆 輸输 辦办 辭辞 郵邮 鄭郑 鋼钢 錄录 鏈链 鐘钟 鍾钟 \
閃闪 閒闲 隱隐 雲云 靜静 韓韩 頁页 頂顶 項项 頓顿 額额 養养 餘余 驅驱 鮮鲜 麼么 黨党 龜龟 鳳凤 亞亚 \
僑侨 儲储 兒儿 內内 兩两 冊册 凱凯 別别 劉刘 勁劲 匯汇 卻却 廈厦 厲厉 嘆叹 嗎吗 噸吨 噴喷 嚮向 圓圆 \
塊块 塗涂 塵尘 墊垫 墳坟 壩坝 壯壮 夾夹 奪夺 奧奥 妝妆 孫孙 宮宫 寬宽 嶺岭 巖岩 幹干 莊庄 廁厕 廢废 \
廟庙 彌弥 徹彻 恆恒 惡恶 惱恼 慘惨 慣惯 憂忧 憑凭 懇恳 懶懒 戀恋 戲戏 拋抛 捨舍 掃扫 掛挂 採采 揚扬 \
換换 搶抢 搖摇 擺摆 撥拨 撫抚 擋挡 擠挤 攝摄 擬拟 攤摊 敗败 敘叙 斬斩 暈晕 曉晓 條条 棄弃 棟栋 極极 \
榮荣 構构 槍枪 樁桩 橫横 檔档 櫃柜 欄栏 歐欧 毀毁 殘残 決决 沖冲 涼凉 淚泪 淺浅 渾浑 湯汤 滅灭 滬沪 \
滯滞 漲涨 漸渐 潛潜 澤泽 濃浓 濱滨 瀏浏 灑洒 爭争 爾尔 牆墙 犧牺 狹狭 猶犹 獅狮 獻献 畝亩 癥症 盞盏 \
盧卢 眾众 睜睁 礦矿 碩硕 禪禅 穀谷 窯窑 竄窜 筍笋 簽签 籤签 籃篮 籌筹 糾纠 紋纹 納纳 紐纽 紛纷 紮扎 \
絕绝 絨绒 綁绑 綜综 綢绸 綿绵 緒绪 緝缉 緩缓 緯纬 縮缩 繩绳 繳缴 繪绘 纜缆 罰罚 罵骂 羨羡 聳耸 脅胁 \
脈脉 脫脱 腫肿 膠胶 臟脏 髒脏 臺台 颱台 舖铺 艙舱 莖茎 萬万 葉叶 蒼苍 蓮莲 蔔卜 蔥葱 蕭萧 薩萨 藍蓝 \
蘋苹 蘆芦 虛虚 蝦虾 蠶蚕 術术 裏里 裡里 褲裤 襪袜 襯衬 覓觅 覽览 觸触 訴诉 詞词 詳详 誇夸 誌志 誰谁 \
諧谐 諸诸 謀谋 謂谓 謙谦 謹谨 譜谱 譯译 譽誉 豎竖 豬猪 貓猫 貞贞 販贩 貫贯 貪贪 貿贸 賊贼 賠赔 賢贤 \
賬账 賭赌 賴赖 賺赚 贈赠 贏赢 趨趋 跡迹 踐践 躍跃 軌轨 軍军 軒轩 軟软 較较 輝辉 輪轮 轉转 轎轿 轟轰 \
辯辩 連连 週周 遊游 達达 遞递 遲迟 遷迁 邁迈 鄧邓 醬酱 釀酿 鈴铃 鉛铅 銀银 銅铜 銳锐 銷销 鋪铺 鋒锋 \
錦锦 鍋锅 鍛锻 鎖锁 鏡镜 鑒鉴 鑰钥 閣阁 閩闽 闆板 闖闯 陝陕 隸隶 雞鸡 離离 霧雾 韋韦 韻韵 頌颂 頒颁 \
頗颇 頸颈 顆颗 顛颠 颳刮 飄飘 飢饥 飽饱 飾饰 餃饺 餅饼 餓饿 餵喂 饅馒 饒饶 駐驻 駕驾 駛驶 騎骑 騰腾 \
騷骚 驕骄 驢驴 驟骤 鬆松 鬧闹 鬱郁 魯鲁 鯉鲤 鯨鲸 鳴鸣 鴨鸭 鴻鸿 鵝鹅 鶴鹤 鷹鹰 鹽盐 麵面 黴霉 齒齿 \
龐庞 禍祸 滄沧 瀋沈 綱纲 網网 紡纺 繡绣 訂订 證证 諾诺 謠谣 譴谴 釣钓 鈔钞 銜衔 鋁铝 錶表 鍊炼 \
煉炼 燈灯 燒烧 燦灿 燭烛 爛烂 犢犊 猻狲 瑣琐 瑤瑶 瓊琼 甌瓯 畫画 瘋疯 療疗 癡痴 皚皑 盪荡 蕩荡 睞睐 \
矯矫 碩硕 磚砖 禦御 稈秆 穎颖 窪洼 竊窃 競竞 筧笕 範范 篩筛 簍篓 簾帘 籠笼 粵粤 糞粪 紳绅 紹绍 \
絢绚 綏绥 緬缅 縫缝 縱纵 繞绕 繽缤 纖纤 罈坛 壇坛 羈羁 翹翘 聶聂 膩腻 膿脓 艦舰 艷艳 豔艳 芻刍 荊荆 \
莢荚 萊莱 萵莴 葷荤 蒞莅 蔭荫 蕎荞 薑姜 薔蔷 藹蔼 蘊蕴 蘚藓 虜虏 蛺蛱 蜆蚬 蝕蚀 蟬蝉 蠟蜡 衊蔑 襖袄 \
覲觐 觴觞 訛讹 訣诀 訟讼 詐诈 詛诅 詠咏 詭诡 詼诙 誅诛 誠诚 誘诱 誦诵 諒谅 諜谍 諷讽 謊谎 謎谜 譏讥 \
譚谭 讒谗 讖谶 豈岂 貶贬 賃赁 賄贿 賂赂 賜赐 賦赋 賤贱 贓赃 贖赎 贛赣 趕赶 蹤踪 躊踌 軸轴 輯辑 輿舆 \
轄辖 辮辫 這这 遜逊 遺遗 邏逻 醜丑 鈍钝 鈞钧 鉅巨 鉤钩 鉗钳 銘铭 鋤锄 錘锤 錫锡 鍬锹 鎊镑 鎔熔 鏟铲 \
鐮镰 鑄铸 鑲镶 閏闰 閘闸 閥阀 閨闺 闊阔 闡阐 陘陉 隕陨 雋隽 霽霁 靄霭 韌韧 頃顷 頑顽 頰颊 頹颓 顫颤 \
顱颅 颶飓 飼饲 餞饯 饋馈 駁驳 駝驼 駭骇 騙骗 騾骡 驛驿 骯肮 鬍胡 鯽鲫 鰻鳗 鱷鳄 鴉鸦 鴿鸽 鵑鹃 鵬鹏 \
鸚鹦 麼么 黽黾 齋斋 齣出 齦龈 齷龌 龕龛";

/// The traditional → simplified table as a map.
pub fn traditional_map() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        TRADITIONAL
            .split_whitespace()
            .filter_map(|pair| {
                let mut chars = pair.chars();
                match (chars.next(), chars.next(), chars.next()) {
                    (Some(from), Some(to), None) if from != to => Some((from, to)),
                    _ => None,
                }
            })
            .collect()
    })
}

/// The table as `search.js` reads it: pairs concatenated, sorted, traditional first.
pub fn traditional_table() -> String {
    let mut pairs: Vec<(char, char)> = traditional_map().iter().map(|(a, b)| (*a, *b)).collect();
    pairs.sort_unstable();
    pairs.iter().flat_map(|(a, b)| [*a, *b]).collect()
}

/// One character as search sees it.
pub fn normalise_char(c: char) -> char {
    let code = c as u32;
    match code {
        0x41..=0x5A => char::from_u32(code + 0x20).unwrap_or(c),
        0xC0..=0xDE if code != 0xD7 => char::from_u32(code + 0x20).unwrap_or(c),
        0xFF01..=0xFF5E => normalise_char(char::from_u32(code - 0xFEE0).unwrap_or(c)),
        0x3000 => ' ',
        CJK_FIRST..=CJK_LAST => simplified(code),
        _ => c,
    }
}

/// A character of the common Han block, simplified: a unit by itself, as
/// [`normalise_char`] and [`class`] would make it, by one lookup (nearly
/// every character of an article is one).
pub fn han_unit(c: char) -> Option<char> {
    let code = c as u32;
    (CJK_FIRST..=CJK_LAST)
        .contains(&code)
        .then(|| simplified(code))
}

/// The simplified form of the character `code` of the block.
fn simplified(code: u32) -> char {
    simplified_table()[(code - CJK_FIRST) as usize]
}

/// The block of unified ideographs, where every traditional form of the
/// table is (a test checks).
const CJK_FIRST: u32 = 0x4E00;
const CJK_LAST: u32 = 0x9FFF;

/// [`traditional_map`] as a table over the block, each character mapped to
/// itself or its simplified form: a search index looks up every character
/// of every text, and a table lookup costs far less than hashing.
fn simplified_table() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<char> = (CJK_FIRST..=CJK_LAST)
            .map(|code| char::from_u32(code).unwrap_or(' '))
            .collect();
        for (&from, &to) in traditional_map() {
            if let Some(slot) = (from as u32)
                .checked_sub(CJK_FIRST)
                .and_then(|i| table.get_mut(i as usize))
            {
                *slot = to;
            }
        }
        table
    })
}

/// A whole text, character by character (for tests and messages).
pub fn normalise(text: &str) -> String {
    text.chars().map(normalise_char).collect()
}

/// What a normalised character is to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Letters and digits of Latin scripts: runs of them are one unit.
    Word,
    /// Whitespace and punctuation: no unit.
    Skip,
    /// Any other character: a unit by itself.
    Single,
}

pub fn class(c: char) -> Class {
    match c as u32 {
        0x30..=0x39 | 0x61..=0x7A | 0xDF..=0xF6 | 0xF8..=0xFF | 0x100..=0x24F => Class::Word,
        0x00..=0x2F
        | 0x3A..=0x40
        | 0x5B..=0x60
        | 0x7B..=0xBF
        | 0xD7
        | 0xF7
        | 0x2000..=0x206F
        | 0x2E00..=0x2E7F
        | 0x3000..=0x3003
        | 0x3008..=0x301F
        | 0x3030
        | 0x30FB
        | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE6F
        | 0xFEFF
        | 0xFF5F..=0xFF65 => Class::Skip,
        _ => Class::Single,
    }
}

/// One unit of a text: its normalised form and where it stands in the
/// original text (byte range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The units of a text, in order.
pub fn units(text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut in_word = false;
    for (offset, original) in text.char_indices() {
        let c = normalise_char(original);
        let end = offset + original.len_utf8();
        match class(c) {
            Class::Word => {
                match units.last_mut() {
                    Some(last) if in_word => {
                        last.text.push(c);
                        last.end = end;
                    }
                    _ => units.push(Unit {
                        text: c.to_string(),
                        start: offset,
                        end,
                    }),
                }
                in_word = true;
            }
            Class::Skip => in_word = false,
            Class::Single => {
                units.push(Unit {
                    text: c.to_string(),
                    start: offset,
                    end,
                });
                in_word = false;
            }
        }
    }
    units
}

/// What separates the terms of a query (the same list in `search.js`).
pub fn is_space(c: char) -> bool {
    matches!(normalise_char(c) as u32,
        0x09..=0x0D | 0x20 | 0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0xFEFF)
}

/// The units of a query: terms separated by whitespace, each a list of units.
/// Terms that are only punctuation are dropped, and so are repeated terms.
pub fn query_terms(query: &str) -> Vec<Vec<String>> {
    let mut terms: Vec<Vec<String>> = Vec::new();
    for part in query.split(is_space) {
        let term: Vec<String> = units(part).into_iter().map(|u| u.text).collect();
        if !term.is_empty() && !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick path gives what the general one does, for every Han
    /// character and for those either side of the block.
    #[test]
    fn han_unit_is_the_normalised_single_unit() {
        for code in (CJK_FIRST - 2)..=(CJK_LAST + 2) {
            let c = char::from_u32(code).unwrap();
            match han_unit(c) {
                Some(unit) => {
                    assert_eq!(unit, normalise_char(c), "{c}");
                    assert_eq!(class(unit), Class::Single, "{c}");
                }
                None => assert!(!(CJK_FIRST..=CJK_LAST).contains(&code), "{c}"),
            }
        }
    }

    #[test]
    fn table_is_one_to_one_and_idempotent() {
        let map = traditional_map();
        assert!(map.len() > 550, "{} pairs", map.len());
        for (&from, &to) in map {
            assert!((CJK_FIRST..=CJK_LAST).contains(&(from as u32)), "{from}");
            assert_eq!(normalise_char(from), to);
        }
        for pair in TRADITIONAL.split_whitespace() {
            assert_eq!(pair.chars().count(), 2, "pair {pair}");
        }
        for (from, to) in map {
            assert!(
                !map.contains_key(to),
                "{from}→{to}, but {to} is itself converted"
            );
        }
        let mut seen: HashMap<char, char> = HashMap::new();
        for pair in TRADITIONAL.split_whitespace() {
            let mut chars = pair.chars();
            let (a, b) = (chars.next().unwrap(), chars.next().unwrap());
            if let Some(previous) = seen.insert(a, b) {
                assert_eq!(previous, b, "{a} is given two simplified forms");
            }
        }
    }

    #[test]
    fn characters() {
        assert_eq!(normalise("ＡＢＣ１２３　反詐"), "abc123 反诈");
        assert_eq!(normalise("Café ÀÉ"), "café àé");
        assert_eq!(normalise("×÷"), "×÷");
    }

    #[test]
    fn units_of_mixed_text() {
        let text = "5G网络，Ｇuanghe 2024年！";
        let found: Vec<String> = units(text).into_iter().map(|u| u.text).collect();
        assert_eq!(found, ["5g", "网", "络", "guanghe", "2024", "年"]);
        let guanghe = &units(text)[3];
        assert_eq!(&text[guanghe.start..guanghe.end], "Ｇuanghe");
    }

    #[test]
    fn query_terms_split_on_any_space() {
        assert_eq!(
            query_terms("志愿服务　洸河社区 志愿服务 ，"),
            vec![vec!["志", "愿", "服", "务"], vec!["洸", "河", "社", "区"]]
        );
    }

    /// The fixture `search.js` is tested against in the browser.
    #[test]
    fn shared_fixture() {
        let fixture: Vec<(String, String, Vec<String>)> =
            serde_json::from_str(include_str!("../../tests/search-normalise.json")).unwrap();
        for (input, normalised, expected_units) in fixture {
            assert_eq!(normalise(&input), normalised, "normalise {input:?}");
            let found: Vec<String> = units(&input).into_iter().map(|u| u.text).collect();
            assert_eq!(found, expected_units, "units of {input:?}");
        }
    }
}

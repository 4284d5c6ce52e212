//! The generator's word lists: niche phrases, hashtags and sentences, the off-topic
//! subjects, names and handle parts.

pub(super) const NICHE_PHRASES: &[&str] = &[
    "big emotions",
    "big feelings",
    "kids emotions",
    "social emotional learning",
    "positive parenting",
    "gentle parenting",
    "toddler tantrums",
    "calm down corner",
    "picture book",
    "bedtime story",
    "mom life",
    "naming feelings with my toddler",
    "emotional regulation for kids",
    "raising kind kids",
    "preschool feelings chart",
];
pub(super) const NICHE_TAGS: &[&str] = &[
    "#positiveparenting",
    "#gentleparenting",
    "#bigfeelings",
    "#SELforkids",
    "#kidsemotions",
    "#toddlerlife",
    "#momlife",
    "#picturebooks",
    "#kidsbooks",
    "#socialemotionallearning",
    "#parentingtips",
    "#bookstagram",
];
pub(super) const NICHE_SENTENCES: &[&str] = &[
    "Today my toddler had big emotions at the park and we practised naming them together.",
    "Our favourite picture book for talking about big feelings before bedtime.",
    "Five gentle parenting phrases that help when a tantrum starts.",
    "We made a calm down corner with pillows, a feelings chart and three picture books.",
    "Social emotional learning at home: a simple breathing game for preschoolers.",
    "Mom life confession: I needed the calm down corner more than my kids did today.",
    "How we talk about anger, sadness and worry with a four year old.",
    "Positive parenting is not permissive parenting. Here is what it looks like for us.",
    "Reading time! This story helped my daughter understand jealousy toward her baby brother.",
    "Toddler meltdown at the supermarket and what finally helped him calm down.",
];
pub(super) const OFF_TOPICS: &[(&str, &[&str], &[&str])] = &[
    (
        "fitness",
        &[
            "Leg day done. Three sets of squats and a long walk after.",
            "My protein smoothie recipe for busy mornings.",
            "Marathon training week 6: long run in the rain.",
        ],
        &["#fitness", "#gymlife", "#workout", "#runner"],
    ),
    (
        "travel",
        &[
            "Sunset over the old harbour, easily the best evening of the trip.",
            "Packing list for a week in Lisbon with only hand luggage.",
            "Hidden beaches you can reach by train this summer.",
        ],
        &["#travel", "#wanderlust", "#travelgram", "#beach"],
    ),
    (
        "food",
        &[
            "Sourdough attempt number four and finally an open crumb.",
            "Weeknight pasta with lemon, garlic and far too much parmesan.",
            "Tried the new ramen place downtown: worth the queue.",
        ],
        &["#foodie", "#homecooking", "#recipe", "#pasta"],
    ),
    (
        "gaming",
        &[
            "Stream tonight at 8: ranked grind until we hit diamond.",
            "My desk setup tour with the new mechanical keyboard.",
            "Speedrun attempt went wrong in the funniest way.",
        ],
        &["#gaming", "#twitch", "#gamer", "#setup"],
    ),
    (
        "fashion",
        &[
            "Autumn capsule wardrobe: twelve pieces, thirty outfits.",
            "Thrift haul! This wool coat was six euros.",
            "Styling one white shirt five different ways.",
        ],
        &["#ootd", "#fashion", "#thrifted", "#style"],
    ),
    (
        "finance",
        &[
            "How I paid off my student loans in four years.",
            "Index funds explained in one minute.",
            "Budget check-in: what we spent on groceries in October.",
        ],
        &["#personalfinance", "#budgeting", "#investing", "#money"],
    ),
];
pub(super) const FIRST: &[&str] = &[
    "anna", "maria", "sofia", "emma", "lea", "noah", "liam", "olivia", "mia", "lucas", "ella",
    "jonas", "sara", "nora", "ben", "clara", "ida", "max", "lina", "tom",
];
pub(super) const LAST: &[&str] = &[
    "miller", "garcia", "jensen", "rossi", "novak", "smith", "kowalski", "silva", "meyer",
    "dubois", "larsen", "costa", "brown", "fischer", "moreau",
];
pub(super) const HANDLE_NICHE: &[&str] = &[
    "littlefeelings",
    "calmkids",
    "gentle.mama",
    "bigfeelings.club",
    "toddler.days",
    "storytime.with",
    "kindkids",
    "mindful.mum",
    "feelings.first",
    "playful.parenting",
];
pub(super) const HANDLE_OFF: &[&str] = &[
    "wander",
    "liftwith",
    "eats.by",
    "pixel",
    "thrift.by",
    "money.with",
    "daily",
    "urban",
    "coffee.and",
    "studio",
];

package io.haitaopulse.generator;

import io.haitaopulse.schema.Item;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated shop's catalogue as the {@code item} records of CONTRACTS §2: what a
 * bonded-warehouse import shop sells (formula, diapers, snacks, skincare, cosmetics, supplements,
 * personal care, baby care, drinks, home goods), named brand, product and pack size
 * ("Meiji Step formula 800 g"), with the brand's home country as {@code origin_country}, the
 * category named in English and Chinese, and the simulator's own price of the item.
 *
 * <p>Each category's products are shuffled by the given random stream and dealt to its items in
 * order; a category with more items than products deals them again as multi-packs
 * ("… (pack of 2)"). Within a category every name is different.
 */
final class CatalogueNames {

    /** A brand, its home country (ISO 3166-1 alpha-2) and its products with pack sizes. */
    record Brand(String name, String country, List<String> products) {}

    /** A category of {@link Catalogue#CATEGORIES}: its display name and brands. */
    record CategoryNames(long id, String name, List<Brand> brands) {}

    static final List<CategoryNames> CATEGORIES = List.of(
            new CategoryNames(
                    101,
                    "Infant formula / 婴儿奶粉",
                    List.of(
                            new Brand(
                                    "Meiji",
                                    "JP",
                                    List.of(
                                            "Step formula 800 g",
                                            "Hohoemi formula 800 g",
                                            "Step formula cubes 28 g × 24")),
                            new Brand(
                                    "a2",
                                    "AU",
                                    List.of(
                                            "Platinum stage 1 900 g",
                                            "Platinum stage 2 900 g",
                                            "Platinum stage 3 900 g")),
                            new Brand(
                                    "Aptamil",
                                    "DE",
                                    List.of(
                                            "Pronutra stage 1 800 g",
                                            "Pronutra stage 2 800 g",
                                            "Pronutra stage 3 800 g")),
                            new Brand(
                                    "Bellamy's Organic",
                                    "AU",
                                    List.of("step 1 formula 800 g", "step 2 formula 800 g", "step 3 formula 800 g")),
                            new Brand("Karicare", "NZ", List.of("Gold+ stage 2 900 g", "Goat milk stage 3 900 g")),
                            new Brand("Morinaga", "JP", List.of("Hagukumi formula 800 g", "Chilmil stage 2 800 g")),
                            new Brand("Wakodo", "JP", List.of("Haihai formula 810 g", "Gun-gun stage 2 850 g")),
                            new Brand("Similac", "US", List.of("Pro-Advance stage 1 964 g", "Pro-Sensitive 850 g")),
                            new Brand("Kendamil", "GB", List.of("Organic stage 2 800 g", "Classic stage 3 800 g")),
                            new Brand(
                                    "Holle",
                                    "CH",
                                    List.of("Organic goat milk formula 2 400 g", "Organic formula 3 600 g")))),
            new CategoryNames(
                    102,
                    "Diapers / 纸尿裤",
                    List.of(
                            new Brand(
                                    "Kao Merries",
                                    "JP",
                                    List.of(
                                            "diapers NB 90",
                                            "diapers S 82",
                                            "diapers M 64",
                                            "diapers L 54",
                                            "diapers XL 44",
                                            "pants M 58",
                                            "pants L 44",
                                            "pants XL 38")),
                            new Brand(
                                    "Moony",
                                    "JP",
                                    List.of("Natural diapers S 60", "Natural diapers M 46", "pants L 44")),
                            new Brand("Goo.N", "JP", List.of("Plus diapers M 64", "Plus diapers L 54", "pants XL 42")),
                            new Brand(
                                    "Pampers",
                                    "JP",
                                    List.of("Ichiban diapers S 84", "Ichiban diapers M 66", "Ichiban pants L 48")),
                            new Brand(
                                    "Huggies",
                                    "KR",
                                    List.of(
                                            "Nature Made diapers M 64",
                                            "Nature Made diapers L 52",
                                            "Gold pants XL 40")),
                            new Brand(
                                    "Bambo Nature",
                                    "DK",
                                    List.of("eco diapers 3 S 52", "eco diapers 4 M 48", "eco pants 5 L 44")),
                            new Brand("Whito", "JP", List.of("12-hour diapers M 48", "12-hour diapers L 42")))),
            new CategoryNames(
                    103,
                    "Snacks and food / 零食食品",
                    List.of(
                            new Brand(
                                    "Calbee",
                                    "JP",
                                    List.of(
                                            "Jagarico potato sticks 52 g × 6",
                                            "Frugra granola 750 g",
                                            "Jagabee potato sticks 80 g × 5")),
                            new Brand("Meiji", "JP", List.of("Meltykiss chocolate 60 g", "Kinoko no Yama 74 g × 5")),
                            new Brand(
                                    "Royce'",
                                    "JP",
                                    List.of("Nama chocolate Champagne 20 pieces", "Potatochip chocolate 190 g")),
                            new Brand("Lotte", "KR", List.of("Pepero almond 32 g × 10", "Choco Pie 336 g")),
                            new Brand("Nongshim", "KR", List.of("Shin Ramyun 120 g × 5", "Chapagetti 140 g × 5")),
                            new Brand("Arnott's", "AU", List.of("Tim Tam Original 200 g", "Tim Tam Double Coat 200 g")),
                            new Brand(
                                    "Manuka Health",
                                    "NZ",
                                    List.of("MGO 263+ Manuka honey 250 g", "MGO 514+ Manuka honey 250 g")),
                            new Brand(
                                    "Comvita",
                                    "NZ",
                                    List.of("UMF 10+ Manuka honey 250 g", "UMF 15+ Manuka honey 500 g")),
                            new Brand("Ferrero", "IT", List.of("Rocher T30 375 g", "Raffaello 230 g")),
                            new Brand("Haribo", "DE", List.of("Goldbears 1 kg", "Happy Cola 1 kg")),
                            new Brand(
                                    "Lindt",
                                    "CH",
                                    List.of("Excellence 85 % cocoa 100 g × 5", "Lindor milk truffles 600 g")),
                            new Brand(
                                    "Kirkland Signature",
                                    "US",
                                    List.of("mixed nuts 1.13 kg", "dried cranberries 1.36 kg")))),
            new CategoryNames(
                    104,
                    "Skincare / 护肤品",
                    List.of(
                            new Brand(
                                    "Shiseido",
                                    "JP",
                                    List.of(
                                            "Anessa sunscreen 60 ml",
                                            "Elixir lifting serum 40 ml",
                                            "Ultimune concentrate 50 ml")),
                            new Brand(
                                    "SK-II",
                                    "JP",
                                    List.of("Facial Treatment Essence 230 ml", "Facial Treatment Essence 160 ml")),
                            new Brand(
                                    "Sulwhasoo",
                                    "KR",
                                    List.of("First Care Activating Serum 90 ml", "Concentrated Ginseng Cream 60 ml")),
                            new Brand("Laneige", "KR", List.of("Water Sleeping Mask 70 ml", "Lip Sleeping Mask 20 g")),
                            new Brand(
                                    "Innisfree",
                                    "KR",
                                    List.of("Green Tea Seed Serum 80 ml", "Volcanic Pore Clay Mask 100 ml")),
                            new Brand(
                                    "La Roche-Posay",
                                    "FR",
                                    List.of("Cicaplast Baume B5 40 ml", "Anthelios sunscreen 50 ml")),
                            new Brand(
                                    "Avène",
                                    "FR",
                                    List.of("Thermal Spring Water 300 ml", "Cicalfate repair cream 40 ml")),
                            new Brand(
                                    "Estée Lauder",
                                    "US",
                                    List.of("Advanced Night Repair 50 ml", "Advanced Night Repair 100 ml")),
                            new Brand("Kiehl's", "US", List.of("Ultra Facial Cream 125 ml", "Calendula toner 250 ml")),
                            new Brand(
                                    "Curél", "JP", List.of("Intensive Moisture Cream 40 g", "Moisture lotion 150 ml")),
                            new Brand("Hada Labo", "JP", List.of("Gokujyun lotion 170 ml", "Gokujyun milk 140 ml")),
                            new Brand(
                                    "Eucerin",
                                    "DE",
                                    List.of("Hyaluron-Filler Day Cream 50 ml", "UreaRepair lotion 250 ml")))),
            new CategoryNames(
                    105,
                    "Cosmetics / 彩妆",
                    List.of(
                            new Brand(
                                    "Clé de Peau Beauté",
                                    "JP",
                                    List.of("concealer 5 g", "radiant fluid foundation 35 ml")),
                            new Brand(
                                    "Lancôme", "FR", List.of("Teint Idole foundation 30 ml", "Hypnôse mascara 6.2 ml")),
                            new Brand(
                                    "Dior",
                                    "FR",
                                    List.of("Rouge Dior lipstick 999 3.5 g", "Forever Skin Glow foundation 30 ml")),
                            new Brand(
                                    "YSL",
                                    "FR",
                                    List.of(
                                            "Rouge Pur Couture lipstick 1966 3.8 g",
                                            "Touche Éclat highlighter 2.5 ml")),
                            new Brand("Canmake", "JP", List.of("Marshmallow Finish Powder 10 g", "Cream Cheek 2.2 g")),
                            new Brand("Kate", "JP", List.of("Designing Eyebrow 3D 2.2 g", "Lip Monster lipstick 3 g")),
                            new Brand("Clio", "KR", List.of("Kill Cover cushion 15 g × 2", "Pro Eye Palette 6 g")),
                            new Brand("3CE", "KR", List.of("Velvet Lip Tint 4 g", "Mood Recipe lipstick 3.5 g")),
                            new Brand(
                                    "Etude",
                                    "KR",
                                    List.of("Play Color Eyes palette 10 g", "Double Lasting foundation 30 g")),
                            new Brand("MAC", "US", List.of("Ruby Woo lipstick 3 g", "Studio Fix powder 15 g")),
                            new Brand(
                                    "Charlotte Tilbury",
                                    "GB",
                                    List.of("Pillow Talk lipstick 3.5 g", "Airbrush Flawless powder 8 g")))),
            new CategoryNames(
                    106,
                    "Health supplements / 保健品",
                    List.of(
                            new Brand(
                                    "Swisse",
                                    "AU",
                                    List.of(
                                            "Ultiboost Vitamin C 110 tablets",
                                            "Liver Detox 120 tablets",
                                            "Ultiboost Calcium + Vitamin D 150 tablets")),
                            new Brand(
                                    "Blackmores",
                                    "AU",
                                    List.of("Fish Oil 1000 400 capsules", "Pregnancy Gold 180 capsules")),
                            new Brand(
                                    "Healthy Care",
                                    "AU",
                                    List.of("Royal Jelly 1000 365 capsules", "Grape Seed 58000 300 capsules")),
                            new Brand("Fancl", "JP", List.of("Calolimit 120 tablets", "Mild Cleansing Oil 120 ml")),
                            new Brand("DHC", "JP", List.of("Vitamin C 120 tablets", "Collagen 360 tablets")),
                            new Brand(
                                    "Nature's Bounty",
                                    "US",
                                    List.of("Biotin 10000 mcg 120 softgels", "Fish Oil 1200 mg 200 softgels")),
                            new Brand(
                                    "GNC",
                                    "US",
                                    List.of(
                                            "Triple Strength Fish Oil 120 softgels",
                                            "Women's Multivitamin 90 tablets")),
                            new Brand(
                                    "Doppelherz",
                                    "DE",
                                    List.of("Magnesium + Calcium 30 tablets", "Omega-3 80 capsules")),
                            new Brand(
                                    "Cheong Kwan Jang",
                                    "KR",
                                    List.of("Korean Red Ginseng Extract 240 g", "Everytime red ginseng 10 ml × 30")),
                            new Brand(
                                    "Life Space",
                                    "AU",
                                    List.of("Probiotic for Baby 60 g", "Broad Spectrum Probiotic 60 capsules")))),
            new CategoryNames(
                    107,
                    "Personal care / 个人护理",
                    List.of(
                            new Brand(
                                    "Kao",
                                    "JP",
                                    List.of(
                                            "Biore UV Aqua Rich 50 g",
                                            "Merit shampoo 480 ml",
                                            "Biore body wash 480 ml")),
                            new Brand(
                                    "Tsubaki",
                                    "JP",
                                    List.of("Premium Moist shampoo 490 ml", "Premium Repair conditioner 490 ml")),
                            new Brand(
                                    "Lion", "JP", List.of("Clinica toothpaste 130 g × 3", "Systema toothbrushes × 4")),
                            new Brand(
                                    "Sensodyne",
                                    "GB",
                                    List.of(
                                            "Repair & Protect toothpaste 75 ml × 3",
                                            "Rapid Relief toothpaste 100 g × 2")),
                            new Brand("Philips", "NL", List.of("Sonicare brush heads × 4", "OneBlade blades × 3")),
                            new Brand(
                                    "Braun",
                                    "DE",
                                    List.of("Oral-B brush heads × 4", "Series 9 cleaning cartridges × 6")),
                            new Brand(
                                    "Aesop",
                                    "AU",
                                    List.of("Resurrection hand wash 500 ml", "Reverence hand balm 75 ml")),
                            new Brand(
                                    "Ryo",
                                    "KR",
                                    List.of("Hair loss care shampoo 400 ml", "Jayang Yunmo shampoo 550 ml")),
                            new Brand(
                                    "L'Occitane",
                                    "FR",
                                    List.of("Shea butter hand cream 150 ml", "Almond shower oil 250 ml")),
                            new Brand("Nivea", "DE", List.of("Creme 400 ml", "Men sensitive shaving gel 200 ml")))),
            new CategoryNames(
                    108,
                    "Mother and baby care / 母婴用品",
                    List.of(
                            new Brand(
                                    "Pigeon",
                                    "JP",
                                    List.of("wide-neck glass bottle 240 ml", "baby wipes 80 × 3", "nipple cream 10 g")),
                            new Brand(
                                    "Mustela",
                                    "FR",
                                    List.of("Hydra Bébé body lotion 500 ml", "Stelatopia emollient cream 200 ml")),
                            new Brand(
                                    "Weleda", "DE", List.of("Calendula baby cream 75 ml", "Calendula baby oil 200 ml")),
                            new Brand(
                                    "Sudocrem",
                                    "IE",
                                    List.of("Antiseptic healing cream 250 g", "Antiseptic healing cream 125 g")),
                            new Brand(
                                    "Aveeno Baby",
                                    "US",
                                    List.of("Daily Moisture lotion 354 ml", "Soothing Relief cream 140 g")),
                            new Brand("Combi", "JP", List.of("Teteo teether 1 piece", "baby laundry detergent 800 ml")),
                            new Brand(
                                    "Hegen",
                                    "SG",
                                    List.of("PCTO feeding bottle 240 ml", "PCTO feeding bottle 150 ml × 2")),
                            new Brand(
                                    "Dr. Brown's",
                                    "US",
                                    List.of("Options+ bottle 270 ml × 2", "Options+ bottle 150 ml × 3")),
                            new Brand(
                                    "Philips Avent",
                                    "GB",
                                    List.of("Natural bottle 260 ml × 2", "Ultra Soft pacifier × 2")),
                            new Brand(
                                    "Munchkin",
                                    "US",
                                    List.of("Miracle 360 cup 207 ml", "Bath Letters and Numbers 36 pieces")))),
            new CategoryNames(
                    109,
                    "Wine and drinks / 酒水饮料",
                    List.of(
                            new Brand(
                                    "Penfolds",
                                    "AU",
                                    List.of(
                                            "Bin 389 Cabernet Shiraz 750 ml",
                                            "Koonunga Hill Shiraz 750 ml",
                                            "Bin 28 Shiraz 750 ml")),
                            new Brand("Yellow Tail", "AU", List.of("Shiraz 750 ml", "Moscato 750 ml")),
                            new Brand("Cloudy Bay", "NZ", List.of("Sauvignon Blanc 750 ml", "Pinot Noir 750 ml")),
                            new Brand(
                                    "Moët & Chandon",
                                    "FR",
                                    List.of("Impérial Brut champagne 750 ml", "Rosé Impérial champagne 750 ml")),
                            new Brand("Hennessy", "FR", List.of("VSOP cognac 700 ml", "XO cognac 700 ml")),
                            new Brand(
                                    "Suntory",
                                    "JP",
                                    List.of("Hibiki Japanese Harmony whisky 700 ml", "Kakubin whisky 700 ml")),
                            new Brand(
                                    "Dassai",
                                    "JP",
                                    List.of("45 junmai daiginjo sake 720 ml", "39 junmai daiginjo sake 720 ml")),
                            new Brand(
                                    "Jinro",
                                    "KR",
                                    List.of("Chamisul soju 360 ml × 6", "Chamisul Fresh soju 360 ml × 6")),
                            new Brand(
                                    "Robert Mondavi",
                                    "US",
                                    List.of("Napa Valley Cabernet 750 ml", "Private Selection Chardonnay 750 ml")),
                            new Brand(
                                    "Paulaner",
                                    "DE",
                                    List.of("Hefe-Weissbier 500 ml × 12", "Oktoberfest Bier 500 ml × 12")),
                            new Brand(
                                    "Evian", "FR", List.of("mineral water 500 ml × 24", "mineral water 1.5 l × 12")))),
            new CategoryNames(
                    110,
                    "Home goods / 家居用品",
                    List.of(
                            new Brand(
                                    "Zojirushi",
                                    "JP",
                                    List.of("stainless vacuum mug 480 ml", "vacuum food jar 260 ml")),
                            new Brand("Thermos", "JP", List.of("vacuum food jar 300 ml", "kids straw bottle 400 ml")),
                            new Brand(
                                    "Lock & Lock",
                                    "KR",
                                    List.of("food containers set of 10", "glass containers set of 4")),
                            new Brand("Cuckoo", "KR", List.of("rice cooker 6 cups", "rice cooker 10 cups")),
                            new Brand(
                                    "WMF",
                                    "DE",
                                    List.of("Profi Plus knife 20 cm", "Perfect Plus pressure cooker 4.5 l")),
                            new Brand(
                                    "Fissler",
                                    "DE",
                                    List.of("Vitavit pressure cooker 6 l", "Original-Profi frying pan 28 cm")),
                            new Brand("Zwilling", "DE", List.of("Pro chef's knife 20 cm", "Twin nail clipper set")),
                            new Brand(
                                    "Le Creuset",
                                    "FR",
                                    List.of("cast iron casserole 24 cm", "stoneware mug 350 ml × 2")),
                            new Brand(
                                    "Kao",
                                    "JP",
                                    List.of("Attack laundry liquid 880 g × 2", "Magiclean bathroom spray 400 ml × 2")),
                            new Brand("Method", "US", List.of("dish soap 532 ml × 2", "all-purpose cleaner 828 ml")),
                            new Brand("OXO", "US", List.of("Pop containers set of 5", "Good Grips salad spinner")))));

    private CatalogueNames() {}

    /** The display name of category {@code id}, "English / 中文". */
    static String categoryName(long id) {
        return of(id).name();
    }

    private static CategoryNames of(long id) {
        for (CategoryNames c : CATEGORIES) {
            if (c.id() == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("no names for category " + id);
    }

    /**
     * One record per item of {@code catalogue}, in item order (category by category), valid from
     * {@code validFrom}; products are dealt with draws from {@code rnd} only.
     */
    static List<Item> items(Catalogue catalogue, Instant validFrom, SplittableRandom rnd) {
        int categories = Catalogue.CATEGORIES.size();
        int perCategory = catalogue.nItems / categories;
        List<Item> items = new ArrayList<>(catalogue.nItems);
        for (int c = 0; c < categories; c++) {
            CategoryNames names = of(Catalogue.CATEGORIES.get(c).id());
            List<String[]> products = new ArrayList<>();
            for (Brand b : names.brands()) {
                for (String p : b.products()) {
                    products.add(new String[] {b.name(), b.country(), p});
                }
            }
            for (int i = products.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                String[] tmp = products.get(i);
                products.set(i, products.get(j));
                products.set(j, tmp);
            }
            for (int k = 0; k < perCategory; k++) {
                int i = c * perCategory + k;
                String[] p = products.get(k % products.size());
                int pack = k / products.size() + 1;
                String name = p[0] + " " + p[2] + (pack == 1 ? "" : " (pack of " + pack + ")");
                items.add(new Item(
                        catalogue.itemId[i],
                        names.id(),
                        name,
                        validFrom,
                        names.name(),
                        p[0],
                        p[1],
                        catalogue.price[i]));
            }
        }
        return items;
    }
}

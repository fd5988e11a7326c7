import java.util.*;

/** Throw-away: cost of visiting items through an object graph in a HashMap vs primitive arrays. */
public class Layout {
    static final class Series { long[] starts = new long[2], views = new long[2], carts = new long[2], buys = new long[2]; Object[] viewers = new Object[2]; int size; }
    static final class Users { long[] table = new long[4]; int size; }
    static final class Base { double level, weightSq; int historyPanes; long foldedThrough; boolean started; }
    static final class Share { double num, numSq, categoryBefore; long before, foldedThrough; }
    static final class Item { Series panes = new Series(); Base baseline = new Base(), viewerBaseline = new Base(); Share viewShare = new Share(), viewerShare = new Share(); Object episode; long lastActivePane; }

    static final class Columns {
        int n; long[] ids; long[] paneStart; long[] views, carts, buys, viewers; double[] level, weightSq, vlevel, vweightSq, num, numSq, vnum, vnumSq, catBefore, vcatBefore; long[] folded;
        Columns(int n) { this.n = n; ids = new long[n]; paneStart = new long[n]; views = new long[n]; carts = new long[n]; buys = new long[n]; viewers = new long[n];
            level = new double[n]; weightSq = new double[n]; vlevel = new double[n]; vweightSq = new double[n]; num = new double[n]; numSq = new double[n]; vnum = new double[n]; vnumSq = new double[n]; catBefore = new double[n]; vcatBefore = new double[n]; folded = new long[n]; }
    }

    public static void main(String[] a) {
        int items = 200_000, cats = 10, active = 3_100, rounds = 60;
        Random r = new Random(1);
        List<HashMap<Long, Item>> maps = new ArrayList<>();
        List<ArrayDeque<long[]>> fifo = new ArrayList<>();
        List<ArrayDeque<Object[]>> pool = new ArrayList<>();
        for (int c = 0; c < cats; c++) { maps.add(new HashMap<>()); fifo.add(new ArrayDeque<>()); pool.add(new ArrayDeque<>()); }
        // Allocate interleaved across categories, with churn, as a long-running heap would.
        List<Object> garbage = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            long id = r.nextLong();
            Item it = new Item();
            it.panes.viewers[0] = new Users();
            it.panes.viewers[1] = new Users();
            pool.get(r.nextInt(cats)).add(new Object[] {id, it});
            if (r.nextInt(4) == 0) garbage.add(new long[r.nextInt(64)]);
        }
        garbage = null;
        int turn = active / 12;
        for (int c = 0; c < cats; c++) for (int k = 0; k < active; k++) { Object[] o = pool.get(c).poll(); maps.get(c).put((Long) o[0], (Item) o[1]); fifo.get(c).add(new long[] {(Long) o[0]}); }
        System.gc();
        List<Columns> cols = new ArrayList<>();
        for (int c = 0; c < cats; c++) cols.add(new Columns(active));
        double sink = 0;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime(); long visits = 0;
            for (int w = 0; w < rounds; w++) {
                for (int c = 0; c < cats; c++) {
                    HashMap<Long, Item> m = maps.get(c);
                    for (Map.Entry<Long, Item> e : m.entrySet()) {
                        Item it = e.getValue(); long id = e.getKey();
                        Series p = it.panes;
                        long v = 0;
                        for (int i = 0; i < 2; i++) { v += p.views[i] + p.carts[i] + p.buys[i] + p.starts[i]; v += ((Users) p.viewers[i]).size; }
                        it.baseline.level = 0.99 * it.baseline.level + v; it.baseline.weightSq = 0.98 * it.baseline.weightSq + 1;
                        it.viewerBaseline.level = 0.99 * it.viewerBaseline.level + v; it.viewerBaseline.weightSq += 1;
                        it.viewShare.num = 0.99 * it.viewShare.num + v; it.viewShare.numSq += it.viewShare.categoryBefore;
                        it.viewerShare.num = 0.99 * it.viewerShare.num + v; it.viewerShare.numSq += it.viewerShare.categoryBefore;
                        sink += it.baseline.level + id + (it.episode == null ? 0 : 1) + it.lastActivePane;
                        visits++;
                    }
                    // A twelfth of the items leave the window, as many come back from idle.
                    for (int k = 0; k < turn; k++) {
                        long old = fifo.get(c).poll()[0];
                        Item gone = m.remove(old);
                        pool.get(c).add(new Object[] {old, gone});
                        Object[] o = pool.get(c).poll();
                        m.put((Long) o[0], (Item) o[1]);
                        fifo.get(c).add(new long[] {(Long) o[0]});
                    }
                }
            }
            long t1 = System.nanoTime();
            System.out.printf("objects: %.1f ns/visit (%d visits)%n", (t1 - t0) / (double) visits, visits);
            t0 = System.nanoTime(); visits = 0;
            for (int w = 0; w < rounds; w++) {
                for (int c = 0; c < cats; c++) {
                    Columns x = cols.get(c);
                    for (int i = 0; i < x.n; i++) {
                        long v = x.views[i] + x.carts[i] + x.buys[i] + x.paneStart[i] + x.viewers[i];
                        x.level[i] = 0.99 * x.level[i] + v; x.weightSq[i] = 0.98 * x.weightSq[i] + 1;
                        x.vlevel[i] = 0.99 * x.vlevel[i] + v; x.vweightSq[i] += 1;
                        x.num[i] = 0.99 * x.num[i] + v; x.numSq[i] += x.catBefore[i];
                        x.vnum[i] = 0.99 * x.vnum[i] + v; x.vnumSq[i] += x.vcatBefore[i];
                        sink += x.level[i] + x.ids[i] + x.folded[i];
                        visits++;
                    }
                    // Rotate: a twelfth swapped out and back in (a copy of its fields each way).
                    for (int k = 0; k < turn; k++) {
                        int i = (w * turn + k) % x.n;
                        x.level[i] = x.level[(i + 7) % x.n]; x.num[i] = x.vnum[i]; x.ids[i] ^= k;
                    }
                }
            }
            t1 = System.nanoTime();
            System.out.printf("columns: %.1f ns/visit (%d visits)%n", (t1 - t0) / (double) visits, visits);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}

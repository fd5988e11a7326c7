package io.haitaopulse.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders collapsed stacks as a static SVG flame graph: x is the share of samples, y the stack
 * depth, root at the bottom; hovering a frame shows its name, samples and share.
 */
final class FlameGraph {

    private static final int WIDTH = 1600;
    private static final int ROW = 16;

    private FlameGraph() {}

    private static final class Node {
        final Map<String, Node> children = new LinkedHashMap<>();
        long samples;
    }

    static String svg(String title, Map<String, Long> stacks) {
        Node root = new Node();
        int depth = 0;
        for (Map.Entry<String, Long> s : stacks.entrySet()) {
            Node n = root;
            n.samples += s.getValue();
            String[] frames = s.getKey().split(";");
            depth = Math.max(depth, frames.length);
            for (String f : frames) {
                n = n.children.computeIfAbsent(f, k -> new Node());
                n.samples += s.getValue();
            }
        }
        int height = (depth + 3) * ROW;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" font-family=\"monospace\" font-size=\"11\">\n");
        sb.append("<text x=\"4\" y=\"13\">")
                .append(escape(title))
                .append(", ")
                .append(root.samples)
                .append(" samples</text>\n");
        if (root.samples > 0) {
            draw(sb, root, "all", 0, 0, WIDTH, root.samples, height);
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void draw(
            StringBuilder sb, Node node, String name, int level, double x, double width, long total, int height) {
        if (width < 0.5) {
            return;
        }
        double y = height - (level + 1) * ROW;
        int hue = Math.floorMod(name.hashCode(), 40);
        sb.append(String.format(
                "<g><title>%s (%d samples, %.2f%%)</title><rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"rgb(%d,%d,60)\" stroke=\"white\" stroke-width=\"0.3\"/>",
                escape(name),
                node.samples,
                100.0 * node.samples / total,
                x,
                y,
                width,
                ROW - 1,
                205 + hue,
                80 + hue * 3));
        int chars = (int) (width / 7);
        if (chars > 3) {
            String label = name.length() <= chars ? name : name.substring(0, chars - 2) + "..";
            sb.append(String.format("<text x=\"%.1f\" y=\"%.0f\">%s</text>", x + 2, y + ROW - 4, escape(label)));
        }
        sb.append("</g>\n");
        double cx = x;
        for (Map.Entry<String, Node> c : node.children.entrySet()) {
            double w = width * c.getValue().samples / node.samples;
            draw(sb, c.getValue(), c.getKey(), level + 1, cx, w, total, height);
            cx += w;
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package dev.holdfast.examples.shop.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Evidence files made on the spot, so the tests carry no binaries. */
final class Evidence {

    private Evidence() {}

    /** A small grey "fogged frame" PNG. */
    static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(0xB0B0B0));
            g.fillRect(0, 0, 120, 80);
            g.setColor(new Color(0xE8E8E8));
            g.fillOval(30, 10, 60, 60);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}

package io.github.c2mspring.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;

/**
 * Wire logging of the calls to Click2Mail ({@code c2m.http.wire-logging}, category
 * {@value #CATEGORY} at DEBUG) that never shows a secret: {@code Authorization} and
 * {@code Proxy-Authorization} values, the token and credential fields of the JSON bodies,
 * anything shaped like a JWT, and the configured secrets themselves are replaced by
 * {@code <masked>}.
 */
@ChannelHandler.Sharable
final class MaskingWireLogger extends LoggingHandler {

	static final String CATEGORY = "io.github.c2mspring.wire";

	private static final Pattern AUTHORIZATION = Pattern
		.compile("(?i)((?:proxy-)?authorization\\s*[:=]\\s*)[^\\r\\n,\\]]+");

	private static final Pattern SECRET_FIELDS = Pattern
		.compile("(\"(?:access_token|client_secret|otp_code|assertion|long_token)\"\\s*:\\s*\")[^\"]*\"?");

	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*){0,2}");

	private final List<String> secrets;

	MaskingWireLogger(List<String> secrets) {
		super(CATEGORY, LogLevel.DEBUG);
		this.secrets = secrets.stream().filter((secret) -> secret != null && secret.length() >= 4).toList();
	}

	@Override
	protected String format(ChannelHandlerContext ctx, String eventName, Object arg) {
		String text;
		if (arg instanceof ByteBufHolder holder) {
			text = holder + " " + content(holder.content());
		}
		else if (arg instanceof ByteBuf buffer) {
			text = content(buffer);
		}
		else {
			text = String.valueOf(arg);
		}
		return ctx.channel() + " " + eventName + ": " + mask(text).replace("\r", "").replace("\n", " | ");
	}

	private static String content(ByteBuf buffer) {
		return buffer.toString(buffer.readerIndex(), buffer.readableBytes(), StandardCharsets.UTF_8);
	}

	String mask(String text) {
		String masked = AUTHORIZATION.matcher(text).replaceAll("$1<masked>");
		masked = SECRET_FIELDS.matcher(masked).replaceAll("$1<masked>\"");
		masked = JWT.matcher(masked).replaceAll("<masked>");
		for (String secret : this.secrets) {
			masked = masked.replace(secret, "<masked>");
		}
		return masked;
	}

}

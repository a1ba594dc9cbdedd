package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The AWS query protocol, as STS speaks it: form-encoded requests ({@code Action=…&Version=…}) and
 * XML responses ({@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…}), errors
 * as {@code <ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
 * <RequestId>…</RequestId></ErrorResponse>}.
 */
final class QueryProtocol {
  static final String CONTENT_TYPE = "text/xml";

  private QueryProtocol() {}

  /** Decodes {@code a=b&c=d} into a flat object of strings; later duplicates win. */
  static ObjectNode parseForm(String form) {
    ObjectNode parameters = JsonNodeFactory.instance.objectNode();
    if (form.isEmpty()) {
      return parameters;
    }
    for (String pair : form.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        parameters.put(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw AwsServiceError.client(
            "MalformedQueryString", "the query string is not valid form encoding: " + pair);
      }
    }
    return parameters;
  }

  /** Renders the result of {@code action} as the query protocol's XML response. */
  static byte[] response(String action, String namespace, JsonNode result, String requestId) {
    StringBuilder xml = new StringBuilder(256);
    xml.append('<').append(action).append("Response xmlns=\"").append(escape(namespace));
    xml.append("\">");
    xml.append('<').append(action).append("Result>");
    if (result instanceof ObjectNode object) {
      members(object, xml);
    }
    xml.append("</").append(action).append("Result>");
    xml.append("<ResponseMetadata><RequestId>").append(escape(requestId));
    xml.append("</RequestId></ResponseMetadata>");
    xml.append("</").append(action).append("Response>");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Renders an error in the query protocol's XML shape. */
  static byte[] error(String namespace, AwsServiceError error, String requestId) {
    String code = QUERY_CODES.getOrDefault(error.code(), error.code());
    StringBuilder xml = new StringBuilder(256);
    xml.append("<ErrorResponse xmlns=\"").append(escape(namespace)).append("\"><Error><Type>");
    xml.append(error.httpStatus() >= 500 ? "Receiver" : "Sender").append("</Type><Code>");
    xml.append(escape(code)).append("</Code><Message>");
    xml.append(escape(String.valueOf(error.getMessage()))).append("</Message></Error>");
    xml.append("<RequestId>").append(escape(requestId)).append("</RequestId></ErrorResponse>");
    return xml.toString().getBytes(StandardCharsets.UTF_8);
  }

  // The query protocol's names of the errors the wire layer raises (STS answers
  // "ExpiredToken", "MissingAuthenticationToken", … where JSON services add "Exception").
  private static final Map<String, String> QUERY_CODES =
      Map.of(
          "ExpiredTokenException", "ExpiredToken",
          "MissingAuthenticationTokenException", "MissingAuthenticationToken",
          "IncompleteSignatureException", "IncompleteSignature",
          "ThrottlingException", "Throttling",
          "UnknownOperationException", "InvalidAction");

  private static void members(ObjectNode object, StringBuilder xml) {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull() || value.isMissingNode()) {
        continue;
      }
      xml.append('<').append(field.getKey()).append('>');
      value(value, xml);
      xml.append("</").append(field.getKey()).append('>');
    }
  }

  private static void value(JsonNode value, StringBuilder xml) {
    if (value instanceof ObjectNode object) {
      members(object, xml);
    } else if (value.isArray()) {
      for (JsonNode element : value) {
        xml.append("<member>");
        value(element, xml);
        xml.append("</member>");
      }
    } else {
      xml.append(escape(value.asText()));
    }
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&apos;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}

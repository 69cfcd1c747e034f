package cn.xingan.kpi.sink;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * One alert version waiting to be POSTed: the JSON body ({@code AlertJson}) and, for logs and the
 * {@code Idempotency-Key} header, its alert id and version. These are what the webhook sink keeps
 * in checkpoints while the endpoint has not acknowledged them.
 */
record WebhookPost(String alertId, long version, byte[] body) implements Serializable {

  /**
   * The header value that lets a receiver drop a repeated delivery: {@code <alert_id>/<version>}.
   */
  String idempotencyKey() {
    return alertId + "/" + version;
  }

  /** Checkpoint form: alert id, version, body length, body. */
  static final class Serializer extends AsyncSinkWriterStateSerializer<WebhookPost> {
    @Override
    protected void serializeRequestToStream(WebhookPost post, DataOutputStream out)
        throws IOException {
      out.writeUTF(post.alertId());
      out.writeLong(post.version());
      out.writeInt(post.body().length);
      out.write(post.body());
    }

    @Override
    protected WebhookPost deserializeRequestFromStream(long requestSize, DataInputStream in)
        throws IOException {
      String alertId = in.readUTF();
      long version = in.readLong();
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return new WebhookPost(alertId, version, body);
    }

    @Override
    public int getVersion() {
      return 1;
    }
  }
}

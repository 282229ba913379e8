using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A TCP proxy in the test process between one service and the real broker, reading the AMQP
/// frames that pass so that a test can make "the broker" go away at an exact point of the service's
/// conversation with it: refuse connections (the port of a stopped broker), or cut the open ones,
/// either as a stopping broker does (connection.close 320 CONNECTION_FORCED, then the socket closes)
/// or as a network does (the socket just drops).
/// </summary>
internal sealed class BrokerProxy : IAsyncDisposable
{
    private readonly int _brokerPort;
    private readonly Lock _lock = new();
    private readonly List<Connection> _connections = [];
    private readonly CancellationTokenSource _disposed = new();
    private TcpListener? _listener;
    private Trigger? _trigger;
    private bool _refuseLogins;

    public BrokerProxy(int brokerPort)
    {
        _brokerPort = brokerPort;
        // Take a free port and keep it: the service is configured with it before anything listens.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    /// <summary>Where the service connects.</summary>
    public int Port { get; }

    /// <summary>Connections that completed their handshake (the broker sent connection.open-ok).</summary>
    public int Handshakes { get; private set; }

    /// <summary>Accepts connections and passes them to the broker.</summary>
    public void Accept()
    {
        lock (_lock)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _ = AcceptLoopAsync(_listener);
        }
    }

    /// <summary>
    /// While true, the port answers but every login is refused (connection.close 403 ACCESS_REFUSED):
    /// a broker that is there and that the service cannot use.
    /// </summary>
    public bool RefuseLogins
    {
        get
        {
            lock (_lock)
            {
                return _refuseLogins;
            }
        }

        set
        {
            lock (_lock)
            {
                _refuseLogins = value;
            }
        }
    }

    /// <summary>Refuses new connections, as the closed port of a stopped broker does; open ones stay.</summary>
    public void Refuse()
    {
        lock (_lock)
        {
            _listener?.Stop();
            _listener = null;
        }
    }

    /// <summary>Refuses new connections and cuts every open one.</summary>
    public void GoDown(CutStyle style)
    {
        Refuse();
        Connection[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            connection.Cut(style);
        }
    }

    /// <summary>
    /// The first time <paramref name="method"/> passes in its direction (client methods towards the
    /// broker, the broker's towards the client), the frame is held back and the proxy goes down
    /// (<see cref="GoDown"/>) before anything after it passes. Completes when it happened.
    /// </summary>
    public Task GoDownAt(AmqpMethod method, CutStyle style)
    {
        var trigger = new Trigger(method, style, WholeBroker: true);
        lock (_lock)
        {
            _trigger = trigger;
        }

        return trigger.Fired.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        GoDown(CutStyle.Drop);
        _disposed.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_disposed.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_disposed.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // Refused from now on, or disposed.
            }

            var broker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await broker.ConnectAsync(IPAddress.Loopback, _brokerPort, _disposed.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                client.Close(0);
                broker.Dispose();
                continue;
            }

            client.NoDelay = true;
            var connection = new Connection(this, client, broker);
            lock (_lock)
            {
                _connections.Add(connection);
            }

            connection.Start();
        }
    }

    /// <summary>Called by a pump for each method frame, before the frame is forwarded: the trigger it fires, if any.</summary>
    private Trigger? OnMethod(AmqpMethod method)
    {
        lock (_lock)
        {
            if (method == AmqpMethod.ConnectionOpenOk)
            {
                Handshakes++;
            }

            if (_trigger is { } trigger && trigger.Method == method)
            {
                _trigger = null;
                return trigger;
            }

            return _refuseLogins && method == AmqpMethod.ConnectionStartOk ? new Trigger(method, CutStyle.LoginRefused, WholeBroker: false) : null;
        }
    }

    private void Fire(Trigger trigger, Connection connection)
    {
        if (trigger.Style == CutStyle.Stall)
        {
            // The pump that met the frame stops there: nothing more reaches the service on this
            // connection, which stays open; the proxy keeps accepting new ones.
        }
        else if (trigger.WholeBroker)
        {
            GoDown(trigger.Style);
        }
        else
        {
            connection.Cut(trigger.Style);
        }

        trigger.Fired.TrySetResult();
    }

    private void Forget(Connection connection)
    {
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>What happens at <paramref name="Method"/>: the whole broker goes down, or only this connection is cut.</summary>
    private sealed record Trigger(AmqpMethod Method, CutStyle Style, bool WholeBroker)
    {
        public TaskCompletionSource Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One client connection and its connection to the broker, pumped both ways.</summary>
    private sealed class Connection(BrokerProxy proxy, Socket client, Socket broker)
    {
        private readonly SemaphoreSlim _toClient = new(1, 1);
        private readonly FrameScanner _fromClient = new(protocolHeader: 8);
        private readonly FrameScanner _fromBroker = new(protocolHeader: 0);
        private int _cut;

        public void Start()
        {
            _ = PumpAsync(client, broker, _fromClient, toClient: false);
            _ = PumpAsync(broker, client, _fromBroker, toClient: true);
        }

        public void Cut(CutStyle style)
        {
            if (Interlocked.Exchange(ref _cut, 1) == 1)
            {
                return;
            }

            // The close frame must not land in the middle of a frame the broker is sending.
            _toClient.Wait();
            try
            {
                if (style != CutStyle.Drop && _fromBroker.AtFrameBoundary)
                {
                    client.Send(style == CutStyle.LoginRefused ? AccessRefusedFrame : ConnectionForcedFrame);
                    // Let the client read it before the socket goes, as a stopping broker does.
                    Thread.Sleep(50);
                }
            }
            catch (SocketException)
            {
                // Gone already.
            }
            catch (ObjectDisposedException)
            {
                // Gone already.
            }
            finally
            {
                _toClient.Release();
            }

            Close();
        }

        private void Close()
        {
            Interlocked.Exchange(ref _cut, 1);
            foreach (var socket in new[] { client, broker })
            {
                try
                {
                    socket.Close(0);
                }
                catch (ObjectDisposedException)
                {
                    // Closed by the other pump.
                }
            }

            proxy.Forget(this);
        }

        private async Task PumpAsync(Socket from, Socket to, FrameScanner scanner, bool toClient)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (Volatile.Read(ref _cut) == 0)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        break;
                    }

                    // Everything before a triggering frame passes; the frame and what follows never do.
                    var (forward, trigger) = scanner.Scan(buffer.AsSpan(0, read), proxy.OnMethod);
                    if (toClient)
                    {
                        await _toClient.WaitAsync();
                    }

                    try
                    {
                        if (forward > 0)
                        {
                            await to.SendAsync(buffer.AsMemory(0, forward), SocketFlags.None);
                        }
                    }
                    finally
                    {
                        if (toClient)
                        {
                            _toClient.Release();
                        }
                    }

                    if (trigger is not null)
                    {
                        proxy.Fire(trigger, this);
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Cut, by the test or by either side.
            }

            Close();
        }
    }

    /// <summary>connection.close, 320 CONNECTION_FORCED, as RabbitMQ sends it to every connection when it stops.</summary>
    private static readonly byte[] ConnectionForcedFrame = ConnectionClose(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'");

    /// <summary>connection.close, 403 ACCESS_REFUSED, as RabbitMQ answers a login it refuses.</summary>
    private static readonly byte[] AccessRefusedFrame = ConnectionClose(403, "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.");

    private static byte[] ConnectionClose(ushort replyCode, string replyText) => MethodFrame(10, 50, payload =>
    {
        var text = Encoding.ASCII.GetBytes(replyText);
        payload.Write([(byte)(replyCode >> 8), (byte)replyCode]);
        payload.WriteByte((byte)text.Length);
        payload.Write(text);
        payload.Write([0, 0, 0, 0]); // class-id, method-id
    });

    private static byte[] MethodFrame(ushort classId, ushort methodId, Action<MemoryStream> arguments)
    {
        using var payload = new MemoryStream();
        payload.Write([(byte)(classId >> 8), (byte)classId, (byte)(methodId >> 8), (byte)methodId]);
        arguments(payload);
        using var frame = new MemoryStream();
        frame.WriteByte(1); // method frame
        frame.Write([0, 0]); // channel 0
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, (int)payload.Length);
        frame.Write(size);
        payload.WriteTo(frame);
        frame.WriteByte(0xCE);
        return frame.ToArray();
    }

    /// <summary>
    /// Follows the frames of one direction (type, channel, size, payload, end octet) across reads,
    /// reporting each method frame's class and method and where it starts in the current read.
    /// </summary>
    private sealed class FrameScanner(int protocolHeader)
    {
        private readonly byte[] _head = new byte[11];
        private int _preamble = protocolHeader;
        private int _headLength;
        private long _skip;
        private bool _midFrame;

        /// <summary>True between two frames.</summary>
        public bool AtFrameBoundary => _preamble == 0 && _skip == 0 && _headLength == 0 && !_midFrame;

        /// <summary>
        /// Reads <paramref name="data"/> until <paramref name="onMethod"/> returns a trigger for a
        /// method frame: then the count of bytes before that frame and the trigger (the scanner stays
        /// at that frame's start, a frame boundary); otherwise all of it and null.
        /// </summary>
        public (int Forward, Trigger? Trigger) Scan(ReadOnlySpan<byte> data, Func<AmqpMethod, Trigger?> onMethod)
        {
            var frameStart = 0;
            var startedHere = false;
            var i = 0;
            while (i < data.Length)
            {
                if (_preamble > 0 || _skip > 0)
                {
                    var take = (int)Math.Min(_preamble > 0 ? _preamble : _skip, data.Length - i);
                    if (_preamble > 0)
                    {
                        _preamble -= take;
                    }
                    else
                    {
                        _skip -= take;
                    }

                    i += take;
                    continue;
                }

                if (_headLength == 0)
                {
                    (frameStart, startedHere) = (i, true);
                }

                _head[_headLength++] = data[i++];
                if (_headLength == 7)
                {
                    var size = BinaryPrimitives.ReadUInt32BigEndian(_head.AsSpan(3, 4));
                    if (_head[0] != 1 || size < 4)
                    {
                        (_skip, _headLength) = (size + 1, 0);
                    }
                }
                else if (_headLength == 11)
                {
                    var size = BinaryPrimitives.ReadUInt32BigEndian(_head.AsSpan(3, 4));
                    var method = (AmqpMethod)((BinaryPrimitives.ReadUInt16BigEndian(_head.AsSpan(7, 2)) << 16) | BinaryPrimitives.ReadUInt16BigEndian(_head.AsSpan(9, 2)));
                    _headLength = 0;
                    if (onMethod(method) is { } trigger)
                    {
                        // A frame that began in an earlier read has passed in part: cut before the rest.
                        _midFrame = !startedHere;
                        return (startedHere ? frameStart : 0, trigger);
                    }

                    _skip = size - 4 + 1;
                }
            }

            return (data.Length, null);
        }
    }
}

/// <summary>AMQP 0-9-1 methods the tests stop at: class id in the high 16 bits, method id in the low.</summary>
public enum AmqpMethod
{
    ConnectionStartOk = (10 << 16) | 11,
    ConnectionOpenOk = (10 << 16) | 41,
    ChannelOpen = (20 << 16) | 10,
    BasicConsume = (60 << 16) | 20,
    BasicConsumeOk = (60 << 16) | 21,
}

/// <summary>How open connections end when the proxy goes down.</summary>
public enum CutStyle
{
    /// <summary>As a stopping broker: connection.close 320 CONNECTION_FORCED, then the socket closes.</summary>
    ConnectionForced,

    /// <summary>As a network failure: the socket closes without a word.</summary>
    Drop,

    /// <summary>
    /// As a broker that hangs: the frame and everything the broker sends after it on that connection
    /// never reach the service (heartbeats included), and the socket stays open; the service's own
    /// frames still reach the broker. New connections are accepted.
    /// </summary>
    Stall,

    /// <summary>
    /// As a broker refusing the login (connection.close 403 ACCESS_REFUSED in answer to
    /// connection.start-ok), which MassTransit 8.5 takes for a fault no retry can cure.
    /// </summary>
    LoginRefused,
}

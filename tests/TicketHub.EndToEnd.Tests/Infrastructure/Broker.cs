using System.Diagnostics;
using System.Net.Sockets;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>The real RabbitMQ on loopback, started by the project's own script.</summary>
internal static class Broker
{
    public static string VirtualHost { get; } =
        Environment.GetEnvironmentVariable("TICKETHUB_TEST_VHOST") is { Length: > 0 } vhost ? vhost : "tickethub-tests";

    /// <summary>Installs and starts RabbitMQ if needed (deploy/rabbitmq.sh) and creates the test vhost.</summary>
    public static void EnsureRunning() => Run(Path.Combine(RepositoryLayout.Root, "deploy", "rabbitmq.sh"), VirtualHost, TimeSpan.FromMinutes(5));

    /// <summary>Installs and starts RabbitMQ if needed and creates <paramref name="virtualHost"/>, emptied first.</summary>
    public static void EnsureFreshVirtualHost(string virtualHost)
    {
        EnsureRunning();
        try
        {
            Run("rabbitmqctl", $"delete_vhost {virtualHost}", TimeSpan.FromMinutes(1));
        }
        catch (InvalidOperationException)
        {
            // It did not exist.
        }

        Run(Path.Combine(RepositoryLayout.Root, "deploy", "rabbitmq.sh"), virtualHost, TimeSpan.FromMinutes(5));
    }

    /// <summary>Deletes <paramref name="virtualHost"/> and its queues, if the broker still has it.</summary>
    public static void DeleteVirtualHost(string virtualHost)
    {
        try
        {
            Run("rabbitmqctl", $"delete_vhost {virtualHost}", TimeSpan.FromMinutes(1));
        }
        catch (InvalidOperationException)
        {
            // Already gone, or the broker is down: nothing left to clean.
        }
    }

    /// <summary>Messages waiting in the <c>_error</c> queues of <paramref name="virtualHost"/>, by queue.</summary>
    public static IReadOnlyDictionary<string, long> ErrorQueueMessages(string virtualHost)
    {
        var counts = new Dictionary<string, long>();
        foreach (var line in Output("rabbitmqctl", $"list_queues -p {virtualHost} --quiet --no-table-headers name messages").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', ' ');
            if (parts.Length >= 2 && parts[0].EndsWith("_error", StringComparison.Ordinal) && long.TryParse(parts[^1], out var messages))
            {
                counts[parts[0]] = messages;
            }
        }

        return counts;
    }

    /// <summary>Stops the broker application (connections drop, the port closes); the node keeps its durable queues.</summary>
    public static void Stop() => Run("rabbitmqctl", "stop_app", TimeSpan.FromMinutes(1));

    public static void Start()
    {
        Run("rabbitmqctl", "start_app", TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!IsListening() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(250);
        }
    }

    public static bool IsListening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", 5672);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Run(string file, string arguments, TimeSpan timeout) => Output(file, arguments, timeout);

    private static string Output(string file, string arguments, TimeSpan? timeout = null)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(1)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed: {output.Result}{error.Result}");
        }

        return output.Result;
    }
}

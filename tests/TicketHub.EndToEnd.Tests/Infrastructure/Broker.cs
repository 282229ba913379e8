using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real RabbitMQ node of this test assembly's own (<c>deploy/rabbitmq-node.sh</c>: its own node
/// name and port, beside the shared broker on 5672). These tests stop and start their broker; the
/// other test assemblies, running at the same time on the shared broker, never notice.
/// </summary>
internal static class Broker
{
    /// <summary>The node's name, <c>TICKETHUB_E2E_NODE</c> (<c>tickethub-e2e</c>).</summary>
    public static string Node { get; } =
        Environment.GetEnvironmentVariable("TICKETHUB_E2E_NODE") is { Length: > 0 } node ? node : "tickethub-e2e";

    /// <summary>The node's AMQP port on 127.0.0.1, <c>TICKETHUB_E2E_PORT</c> (5690).</summary>
    public static int Port { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("TICKETHUB_E2E_PORT"), CultureInfo.InvariantCulture, out var port) ? port : 5690;

    public static string VirtualHost { get; } =
        Environment.GetEnvironmentVariable("TICKETHUB_TEST_VHOST") is { Length: > 0 } vhost ? vhost : "tickethub-tests";

    private static string Script => Path.Combine(RepositoryLayout.Root, "deploy", "rabbitmq-node.sh");

    /// <summary>Installs and starts the node if needed and creates the test vhost.</summary>
    public static void EnsureRunning() => EnsureRunning(VirtualHost);

    /// <summary>Installs and starts the node if needed and creates <paramref name="virtualHost"/>, emptied first.</summary>
    public static void EnsureFreshVirtualHost(string virtualHost)
    {
        // The node first: a node that was down (a run cut short, a machine restarted) comes back with
        // its durable queues and their messages, which would feed this run tickets of an earlier one.
        EnsureRunning(virtualHost);
        Ctl($"delete_vhost {virtualHost}");
        EnsureRunning(virtualHost);
    }

    /// <summary>Deletes <paramref name="virtualHost"/> and its queues, if the broker still has it.</summary>
    public static void DeleteVirtualHost(string virtualHost)
    {
        try
        {
            Run(Script, $"ctl {Node} delete_vhost {virtualHost}", TimeSpan.FromMinutes(1));
        }
        catch (InvalidOperationException)
        {
            // Already gone, or the broker is down: nothing left to clean.
        }
    }

    /// <summary>Messages waiting in the <c>_error</c> queues of <paramref name="virtualHost"/>, by queue.</summary>
    public static IReadOnlyDictionary<string, long> ErrorQueueMessages(string virtualHost) =>
        Queues(virtualHost, "messages")
            .Where(queue => queue.Key.EndsWith("_error", StringComparison.Ordinal))
            .ToDictionary(queue => queue.Key, queue => queue.Value);

    /// <summary>Messages in each queue of <paramref name="virtualHost"/>, delivered but not yet acknowledged included.</summary>
    public static IReadOnlyDictionary<string, long> Messages(string virtualHost) => Queues(virtualHost, "messages");

    /// <summary>Consumers the broker counts on each queue of <paramref name="virtualHost"/> (the broker's view, not the client's).</summary>
    public static IReadOnlyDictionary<string, long> Consumers(string virtualHost) => Queues(virtualHost, "consumers");

    /// <summary>Stops the broker application: it closes every connection (320 CONNECTION_FORCED) and its port; the node keeps its durable queues.</summary>
    public static void Stop() => Run(Script, $"stop-app {Node}", TimeSpan.FromMinutes(1));

    /// <summary>Starts the broker application again and waits for its port.</summary>
    public static void Start() => Run(Script, $"start-app {Node} {Port}", TimeSpan.FromMinutes(2));

    public static bool IsListening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The settings that point a service at this node.</summary>
    public static Dictionary<string, string> ServiceSettings(string virtualHost) => new()
    {
        ["RabbitMq__Host"] = "127.0.0.1",
        ["RabbitMq__Port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["RabbitMq__VirtualHost"] = virtualHost,
        ["RabbitMq__Username"] = "guest",
        ["RabbitMq__Password"] = "guest",
    };

    /// <summary>
    /// Creates the per-service users of <paramref name="virtualHost"/> with <c>deploy/rabbitmq-users.sh</c>
    /// (guest loses its access there); their passwords in <paramref name="secretsFolder"/>.
    /// </summary>
    public static void CreateServiceUsers(string virtualHost, string secretsFolder) =>
        Run(Path.Combine(RepositoryLayout.Root, "deploy", "rabbitmq-users.sh"), $"{virtualHost} {secretsFolder} {Node}", TimeSpan.FromMinutes(2));

    /// <summary>
    /// A user of the tests' own with every right on <paramref name="virtualHost"/> only, as the broker's
    /// administrator would have: to read what a service published and hand it to another again. Its
    /// password is new on each call.
    /// </summary>
    public static (string User, string Password) CreateOperator(string virtualHost)
    {
        var user = $"{virtualHost}-test-operator";
        var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        Ctl($"add_user {user} {password}");
        Run(Script, $"ctl {Node} change_password {user} {password}", TimeSpan.FromMinutes(1));
        Run(Script, $"ctl {Node} set_permissions -p {virtualHost} {user} .* .* .*", TimeSpan.FromMinutes(1));
        return (user, password);
    }

    /// <summary>The settings that point <paramref name="service"/> (<c>intake</c>, <c>connectors-glpi</c>…) at this node with its own user.</summary>
    public static Dictionary<string, string> ServiceSettings(string virtualHost, string service, string secretsFolder)
    {
        var settings = ServiceSettings(virtualHost);
        settings["RabbitMq__Username"] = $"{virtualHost}-{service}";
        settings["RabbitMq__Password"] = File.ReadAllText(Path.Combine(secretsFolder, $"rabbitmq-{service}.password"));
        return settings;
    }

    private static void EnsureRunning(string virtualHost) =>
        Run(Script, $"start {Node} {Port} {virtualHost}", TimeSpan.FromMinutes(5));

    /// <summary>The type of each queue of <paramref name="virtualHost"/> (<c>classic</c>, <c>quorum</c>).</summary>
    public static IReadOnlyDictionary<string, string> QueueTypes(string virtualHost) =>
        Ctl($"list_queues -p {virtualHost} --quiet --no-table-headers name type").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 2)
            .ToDictionary(parts => parts[0], parts => parts[^1]);

    private static Dictionary<string, long> Queues(string virtualHost, string column)
    {
        var counts = new Dictionary<string, long>();
        foreach (var line in Ctl($"list_queues -p {virtualHost} --quiet --no-table-headers name {column}").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', ' ');
            if (parts.Length >= 2 && long.TryParse(parts[^1], CultureInfo.InvariantCulture, out var count))
            {
                counts[parts[0]] = count;
            }
        }

        return counts;
    }

    /// <summary>rabbitmqctl against the node; a failing command (e.g. deleting a vhost that does not exist) gives its output, not an exception.</summary>
    private static string Ctl(string arguments) => Output(Script, $"ctl {Node} {arguments}", TimeSpan.FromMinutes(1), throwOnFailure: false);

    private static void Run(string file, string arguments, TimeSpan timeout) => Output(file, arguments, timeout, throwOnFailure: true);

    private static string Output(string file, string arguments, TimeSpan timeout, bool throwOnFailure)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout) || (throwOnFailure && process.ExitCode != 0))
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed: {output.Result}{error.Result}");
        }

        return output.Result;
    }
}

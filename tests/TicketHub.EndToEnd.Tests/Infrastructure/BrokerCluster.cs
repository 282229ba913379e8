using System.Diagnostics;
using System.Globalization;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A three-node RabbitMQ cluster on this machine (issue 13), made of <c>deploy/rabbitmq-node.sh</c>
/// nodes: names <c>TICKETHUB_REPLICA_NODES</c>1..3 (<c>tickethub-r</c>), AMQP ports
/// <c>TICKETHUB_REPLICA_PORT</c> and the next two (5700), distribution ports 20000 above. New nodes
/// for each run; a node can be SIGKILLed and started again, and finds its cluster.
/// </summary>
internal sealed class BrokerCluster : IDisposable
{
    private static string Script => Path.Combine(RepositoryLayout.Root, "deploy", "rabbitmq-node.sh");

    public BrokerCluster()
    {
        var prefix = Environment.GetEnvironmentVariable("TICKETHUB_REPLICA_NODES") is { Length: > 0 } name ? name : "tickethub-r";
        var port = int.TryParse(Environment.GetEnvironmentVariable("TICKETHUB_REPLICA_PORT"), CultureInfo.InvariantCulture, out var p) ? p : 5700;
        Nodes = [.. Enumerable.Range(0, 3).Select(i => (Name: $"{prefix}{i + 1}", Port: port + i))];
    }

    public IReadOnlyList<(string Name, int Port)> Nodes { get; }

    /// <summary>Three new nodes, joined into one cluster, with <paramref name="virtualHost"/> (guest may use it).</summary>
    public void StartFresh(string virtualHost)
    {
        foreach (var (name, _) in Nodes)
        {
            Run($"forget {name}");
        }

        Run($"start {Nodes[0].Name} {Nodes[0].Port} {virtualHost}");
        foreach (var (name, port) in Nodes.Skip(1))
        {
            Run($"start {name} {port}");
            Run($"join {name} {Nodes[0].Name}");
        }
    }

    /// <summary>The settings that point a service at the cluster: its first node, and all three to fail over to.</summary>
    public Dictionary<string, string> ServiceSettings(string virtualHost)
    {
        var settings = new Dictionary<string, string>
        {
            ["RabbitMq__Host"] = "127.0.0.1",
            ["RabbitMq__Port"] = Nodes[0].Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = virtualHost,
            ["RabbitMq__Username"] = "guest",
            ["RabbitMq__Password"] = "guest",
            ["RabbitMq__QuorumQueues"] = "true",
        };
        for (var i = 0; i < Nodes.Count; i++)
        {
            settings[$"RabbitMq__ClusterNodes__{i}"] = $"127.0.0.1:{Nodes[i].Port.ToString(CultureInfo.InvariantCulture)}";
        }

        return settings;
    }

    /// <summary>SIGKILLs node <paramref name="index"/>'s Erlang VM, as a machine lost would.</summary>
    public void Kill(int index) => Run($"kill {Nodes[index].Name}");

    /// <summary>Starts node <paramref name="index"/> again; it rejoins its cluster.</summary>
    public void Start(int index) => Run($"start {Nodes[index].Name} {Nodes[index].Port}");

    /// <summary>Messages in each queue of <paramref name="virtualHost"/> whose name ends with <c>_error</c>, asked of a node that runs.</summary>
    public IReadOnlyDictionary<string, long> ErrorQueueMessages(string virtualHost)
    {
        var counts = new Dictionary<string, long>();
        var output = Output($"ctl {Nodes[1].Name} list_queues -p {virtualHost} --quiet --no-table-headers name messages");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', ' ');
            if (parts.Length >= 2 && parts[0].EndsWith("_error", StringComparison.Ordinal)
                && long.TryParse(parts[^1], CultureInfo.InvariantCulture, out var count))
            {
                counts[parts[0]] = count;
            }
        }

        return counts;
    }

    /// <summary>The type of each queue of <paramref name="virtualHost"/>.</summary>
    public IReadOnlyDictionary<string, string> QueueTypes(string virtualHost) =>
        Output($"ctl {Nodes[1].Name} list_queues -p {virtualHost} --quiet --no-table-headers name type")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 2)
            .ToDictionary(parts => parts[0], parts => parts[^1]);

    /// <summary>Stops the three nodes and deletes their data.</summary>
    public void Dispose()
    {
        foreach (var (name, _) in Nodes)
        {
            try
            {
                Run($"forget {name}");
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private static void Run(string arguments) => Output(arguments);

    private static string Output(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Script, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'rabbitmq-node.sh {arguments}' failed: {output.Result}{error.Result}");
        }

        return output.Result;
    }
}

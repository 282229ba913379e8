using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TicketHub.EndToEnd.Tests.Infrastructure;

namespace TicketHub.EndToEnd.Deploy;

/// <summary>
/// What the deploy scripts leave on the machine (issue 12), checked by running them for real: the
/// data folder private to the hub's user, a broker node whose Erlang ports stay on loopback. Outside
/// the hub's namespace: these tests need no running hub.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeployScriptTests
{
    [Test]
    public void Data_folder_is_private_to_the_hubs_user_even_with_files_of_an_earlier_run()
    {
        var data = Directory.CreateTempSubdirectory("tickethub-data-").FullName;
        try
        {
            var database = Path.Combine(data, "intake.db");
            File.WriteAllText(database, "tickets");
            File.SetUnixFileMode(database, (UnixFileMode)0b110_100_100);
            var keys = Directory.CreateDirectory(Path.Combine(data, "keys")).FullName;
            File.SetUnixFileMode(keys, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);

            Run(Path.Combine(RepositoryLayout.Root, "deploy", "secure-data.sh"), data);

            const UnixFileMode groupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            foreach (var path in new[] { data, database, keys, Path.Combine(data, "logs") })
            {
                Assert.That(File.GetUnixFileMode(path) & groupOrOthers, Is.EqualTo((UnixFileMode)0), path);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Test]
    public void Broker_node_started_by_the_script_listens_on_loopback_only_its_Erlang_distribution_included()
    {
        var port = FreePortPair();
        var node = $"tickethub-deploy-{Guid.NewGuid():N}"[..28];
        var script = Path.Combine(RepositoryLayout.Root, "deploy", "rabbitmq-node.sh");
        try
        {
            Run(script, "start", node, port.ToString(CultureInfo.InvariantCulture));

            var listening = Run("ss", "-ltnH").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])
                .Where(local => local.EndsWith($":{port}", StringComparison.Ordinal) || local.EndsWith($":{port + 20000}", StringComparison.Ordinal))
                .ToList();
            Assert.That(listening, Has.Count.EqualTo(2), string.Join(", ", listening));
            Assert.That(listening, Has.All.StartWith("127."), "AMQP and the distribution port on loopback only");
        }
        finally
        {
            Run(script, "shutdown", node);
            var folder = Path.Combine(Environment.GetEnvironmentVariable("TICKETHUB_RABBITMQ_NODES") ?? "/tmp/tickethub-rabbitmq", node);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>A port below 45536 that is free, and whose distribution port (+20000) is free too.</summary>
    private static int FreePortPair()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(5800, 9800);
            if (IsFree(port) && IsFree(port + 20000))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free pair of ports for a test broker node.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed: {output.Result}{error.Result}");
        }

        return output.Result;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TicketHub.EndToEnd.Tests.Infrastructure;

/// <summary>One TicketHub service running as its own process, as in production.</summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _logPath;
    private Process? _process;
    private StreamWriter? _log;

    public ServiceProcess(string name, string projectFolder, int port, IReadOnlyDictionary<string, string> environment, string logFolder)
    {
        Name = name;
        Port = port;
        _dll = RepositoryLayout.ServiceDll(projectFolder);
        _environment = environment;
        _logPath = Path.Combine(logFolder, name + ".log");
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The process's resident memory now (0 when it is not running).</summary>
    public long ResidentBytes()
    {
        if (_process is not { HasExited: false } process)
        {
            return 0;
        }

        process.Refresh();
        return process.WorkingSet64;
    }

    /// <summary>The running process's id, or null when it is not running.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet", [_dll])
        {
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["Urls"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        _log = new StreamWriter(_logPath, append: true) { AutoFlush = true };
        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Name}.");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logPath)
        {
            _log?.WriteLine(line);
        }
    }

    /// <summary>Waits until <paramref name="path"/> answers 200; fails with the service's log otherwise.</summary>
    public async Task WaitUntilHealthyAsync(string path, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}.\n{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, path));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow start on a busy machine.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} was not healthy at {path} after {timeout.TotalSeconds} s.\n{LogTail()}");
    }

    public string LogTail(int lines = 60)
    {
        lock (_logPath)
        {
            _log?.Flush();
            if (!File.Exists(_logPath))
            {
                return "(no log)";
            }

            using var stream = new FileStream(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return $"--- last lines of {Name} ---\n" + string.Join('\n', all.TakeLast(lines));
        }
    }

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
        lock (_logPath)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    public void Dispose() => Kill();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

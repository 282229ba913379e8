namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// This process among a service's replicas, <c>host/pid/random</c>: the comment of the
/// <c>User-Agent</c> its connectors send, so that a tool's access log says which replica called (its
/// host and process id are those the <c>leases</c> table names).
/// </summary>
public static class ReplicaInstance
{
    public static string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}

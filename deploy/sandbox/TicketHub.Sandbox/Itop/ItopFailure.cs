namespace TicketHub.Sandbox.Itop;

/// <summary>
/// An iTop error answer, always with HTTP 200. iTop reports errors two ways, and the sandbox
/// keeps the difference: an exception caught by rest.php gives <c>{"code": …, "message": "Error: …"}</c>;
/// an operation that reports its own failure (rights, invalid stimulus) keeps the shape of its
/// result, <c>{"objects": null, "code": …, "message": …}</c>.
/// </summary>
internal sealed class ItopFailure(int code, string message, bool thrown) : Exception(message)
{
    public const int Unauthorized = 1;
    public const int MissingVersion = 2;
    public const int MissingJson = 3;
    public const int InvalidJson = 4;
    public const int MissingAuthUser = 5;
    public const int MissingAuthPassword = 6;
    public const int UnsupportedVersion = 10;
    public const int UnknownOperation = 11;
    public const int InternalError = 100;

    public int Code { get; } = code;

    /// <summary>An exception, as rest.php's catch block reports it.</summary>
    public static ItopFailure Thrown(string message, int code = InternalError) => new(code, message, thrown: true);

    /// <summary>A failure the operation reports in its own result.</summary>
    public static ItopFailure Reported(int code, string message) => new(code, message, thrown: false);

    public Dictionary<string, object?> Body() => thrown
        ? new() { ["code"] = Code, ["message"] = "Error: " + Message }
        : new() { ["objects"] = null, ["code"] = Code, ["message"] = Message };
}

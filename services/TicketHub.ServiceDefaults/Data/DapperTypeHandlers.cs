using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace TicketHub.ServiceDefaults.Data;

/// <summary>
/// SQLite has no date or GUID types: values are stored as text there (UTC, round-trip format, so
/// that text order is time order), as native <c>datetimeoffset</c>/<c>uniqueidentifier</c> in
/// SQL Server and <c>timestamptz</c>/<c>uuid</c> in PostgreSQL (which takes UTC instants only, to the
/// microsecond). These handlers, and <see cref="StoredInstant"/> which reads an instant, are the only place that knows.
/// </summary>
internal static class DapperTypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        // Dapper uses a value type's handler for its Nullable<T> too, and hands it DBNull for a NULL
        // column: the handlers are untyped so that they can answer null there.
        SqlMapper.AddTypeHandler(typeof(DateTimeOffset), new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(typeof(Guid), new GuidHandler());
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.ITypeHandler
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            if (value is not DateTimeOffset instant)
            {
                // Typed even when null: PostgreSQL cannot always tell a null's type (@At IS NULL OR …).
                parameter.DbType = parameter is SqliteParameter ? DbType.String : DbType.DateTimeOffset;
                parameter.Value = DBNull.Value;
                return;
            }

            SetValue(parameter, instant);
        }

        private static void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToUniversalTime().ToString(StoredInstant.Format, CultureInfo.InvariantCulture);
            }
            else
            {
                // Npgsql refuses an offset other than zero for timestamptz; SQL Server keeps any.
                parameter.DbType = DbType.DateTimeOffset;
                parameter.Value = value.ToUniversalTime();
            }
        }

        public object? Parse(Type destinationType, object value) => StoredInstant.Parse(value);
    }

    private sealed class GuidHandler : SqlMapper.ITypeHandler
    {
        public void SetValue(IDbDataParameter parameter, object value)
        {
            if (value is not Guid id)
            {
                parameter.DbType = parameter is SqliteParameter ? DbType.String : DbType.Guid;
                parameter.Value = DBNull.Value;
                return;
            }

            SetValue(parameter, id);
        }

        private static void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("D");
            }
            else
            {
                parameter.DbType = DbType.Guid;
                parameter.Value = value;
            }
        }

        public object? Parse(Type destinationType, object value) => value switch
        {
            null or DBNull => null,
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"Cannot read a GUID from a {value.GetType().Name}."),
        };
    }
}

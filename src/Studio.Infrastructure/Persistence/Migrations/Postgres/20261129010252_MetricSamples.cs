using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Studio.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MetricSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "metric_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClusterId = table.Column<Guid>(type: "uuid", nullable: false),
                    Pool = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Nodes = table.Column<int>(type: "integer", nullable: false),
                    ReadyNodes = table.Column<int>(type: "integer", nullable: false),
                    CpuRequestedMillis = table.Column<long>(type: "bigint", nullable: false),
                    CpuAllocatableMillis = table.Column<long>(type: "bigint", nullable: false),
                    MemoryRequestedBytes = table.Column<long>(type: "bigint", nullable: false),
                    MemoryAllocatableBytes = table.Column<long>(type: "bigint", nullable: false),
                    GpusRequested = table.Column<long>(type: "bigint", nullable: false),
                    GpusAllocatable = table.Column<long>(type: "bigint", nullable: false),
                    PodsPending = table.Column<int>(type: "integer", nullable: false),
                    PodsRunning = table.Column<int>(type: "integer", nullable: false),
                    PodsSucceeded = table.Column<int>(type: "integer", nullable: false),
                    PodsFailed = table.Column<int>(type: "integer", nullable: false),
                    Queued = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_metric_samples", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_metric_samples_At",
                table: "metric_samples",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_metric_samples_ClusterId_At",
                table: "metric_samples",
                columns: new[] { "ClusterId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "metric_samples");
        }
    }
}

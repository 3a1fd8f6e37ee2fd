// SPDX-License-Identifier: BSD-2-Clause
/* The configuration tables on the console, one line each (config_tables.c names them). */
#include "kernel/config_tables.h"
#include "kernel/kernel.h"

void config_tables_print(const struct handoff *h)
{
	char text[37];

	for (u32 i = 0; i < h->nr_config_tables; i++) {
		const char *name = config_table_name(&h->config[i].guid);

		guid_format(text, &h->config[i].guid);
		printk("efimap: config table %2u: %s at 0x%llx%s%s", i, text,
		       (unsigned long long)h->config[i].table, name ? " " : "", name ? name : "");
	}
	if (h->flags & HANDOFF_CONFIG_TRUNCATED)
		printk("efimap: config: firmware has %u tables, only %u kept",
		       h->nr_config_tables_fw, h->nr_config_tables);
	printk("efimap: config: tables=%u", h->nr_config_tables_fw);
}

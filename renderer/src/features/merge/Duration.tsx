import { useT } from '../../lib/i18n';

/** A time to wait, in whole minutes or hours and minutes, the language's way. */
export function Duration({ seconds }: { seconds: number }) {
  const { t } = useT();
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return <>{t('merge.minutes', { count: minutes })}</>;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return (
    <>
      {t('merge.hours', { count: hours })}
      {rest ? ` ${t('merge.minutes', { count: rest })}` : ''}
    </>
  );
}
